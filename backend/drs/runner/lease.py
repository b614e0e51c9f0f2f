"""Leases on Jobs, per-server admission (max_concurrent_jobs, FIFO) and the reaper.

Every write that decides who runs a job is a conditional UPDATE whose row count says
whether this process won ("another process got there first" otherwise)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from drs.jobs.choices import ACTIVE_STATUSES, TERMINAL_STATUSES, JobStatus
from drs.jobs.models import Job
from drs.servers.models import Server

log = logging.getLogger(__name__)


def new_lease_owner() -> str:
    """host:pid:token — the pid lets operators (and tests) find the worker process."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def lease_expiry() -> timedelta:
    return timedelta(seconds=settings.DRS_LEASE_SECONDS)


def reserve_slots(server_id: int) -> list[str]:
    """Move the oldest queued jobs of a server into `starting` while it has free slots.
    A reserved job has no lease owner yet: the first task for it claims it. Returns the
    reserved job ids (the caller enqueues them)."""
    now = timezone.now()
    with transaction.atomic():
        server = Server.objects.select_for_update().filter(pk=server_id).first()
        if server is None:
            return []
        active = Job.objects.filter(server_id=server_id, status__in=ACTIVE_STATUSES).count()
        free = server.max_concurrent_jobs - active
        if free <= 0 or not server.enabled:
            return []
        ids = list(
            Job.objects.filter(server_id=server_id, status=JobStatus.QUEUED)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)[:free]
        )
        if not ids:
            return []
        Job.objects.filter(pk__in=ids, status=JobStatus.QUEUED).update(
            status=JobStatus.STARTING, lease_owner="", lease_expires_at=now + pending_expiry()
        )
    return [str(pk) for pk in ids]


def claim(job_id: str, owner: str) -> bool:
    """Take the lease of an active job that is reserved (no owner) or whose lease ran out."""
    now = timezone.now()
    with transaction.atomic():
        won = (
            Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES)
            .filter(Q(lease_owner="") | Q(lease_expires_at__lt=now) | Q(lease_expires_at=None))
            .update(lease_owner=owner, lease_expires_at=now + lease_expiry(), heartbeat_at=now)
        )
    return won == 1


def renew(job_id: str | UUID, owner: str) -> bool:
    now = timezone.now()
    return (
        Job.objects.filter(pk=job_id, lease_owner=owner)
        .exclude(status__in=TERMINAL_STATUSES)
        .update(lease_expires_at=now + lease_expiry(), heartbeat_at=now)
        == 1
    )


def release(job_id: str | UUID, owner: str) -> None:
    """Give the lease back early (e.g. this worker cannot reach the host for a while)."""
    Job.objects.filter(pk=job_id, lease_owner=owner).update(
        lease_owner="", lease_expires_at=timezone.now()
    )


def pending_expiry() -> timedelta:
    """How long a job may wait for its task before the reaper enqueues another one: long
    enough that a busy queue does not pile up duplicates, short enough to recover a task
    the broker lost."""
    return max(4 * lease_expiry(), timedelta(seconds=60))


def reap() -> list[str]:
    """Find work nobody is doing and enqueue it: active jobs whose lease expired (their
    worker died), and queued jobs on servers with free slots. Safe to run anywhere, any
    number of times at once: each expired job is released by a conditional UPDATE, so
    only one reaper enqueues it, and the lease claim makes any duplicate task harmless."""
    from drs.jobs.tasks import enqueue_job

    now = timezone.now()
    candidates = list(
        Job.objects.filter(status__in=ACTIVE_STATUSES, lease_expires_at__lt=now).values_list(
            "pk", flat=True
        )
    )
    expired: list[str] = []
    for pk in candidates:
        released = Job.objects.filter(
            pk=pk, status__in=ACTIVE_STATUSES, lease_expires_at__lt=now
        ).update(lease_owner="", lease_expires_at=now + pending_expiry())
        if released:
            expired.append(str(pk))
    reserved: list[str] = []
    server_ids = set(
        Job.objects.filter(status=JobStatus.QUEUED).values_list("server_id", flat=True)
    )
    for server_id in sorted(server_ids):
        reserved += reserve_slots(server_id)
    for job_id in [*expired, *reserved]:
        enqueue_job(job_id)
    if expired or reserved:
        log.info("reaper: re-enqueued %d expired and %d queued jobs", len(expired), len(reserved))
    return expired + reserved
