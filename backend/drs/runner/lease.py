"""Leases on Jobs, per-server admission (max_concurrent_jobs, FIFO) and the reaper.

A runner process holds the leases of all its jobs under one owner id (host:pid:token), so
renewing them, checking cancels and releasing them on a graceful stop are one query each.
Every write that decides who runs a job is a conditional UPDATE whose row count says
whether this process won ("another process got there first" otherwise)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from drs.jobs import lifecycle, sql
from drs.jobs.choices import ACTIVE_STATUSES, TERMINAL_STATUSES, JobStatus
from drs.jobs.models import Job
from drs.servers.models import Server

log = logging.getLogger(__name__)


def new_lease_owner(pid: int | None = None) -> str:
    """host:pid:token — the pid lets a supervisor release a dead child's leases at once."""
    return f"{owner_prefix(pid)}{uuid.uuid4().hex[:12]}"


def owner_prefix(pid: int | None = None) -> str:
    return f"{socket.gethostname()[:60]}:{pid or os.getpid()}:"


def lease_expiry() -> timedelta:
    return timedelta(seconds=settings.DRS_LEASE_SECONDS)


def _lock_for_admission(server_id: int) -> int | None:
    """Inside a transaction: lock the server's row, so admissions to it take turns; its
    max_concurrent_jobs, or None when it is gone or disabled (it admits nothing)."""
    row = (
        Server.objects.select_for_update()
        .filter(pk=server_id)
        .values_list("max_concurrent_jobs", "enabled")
        .first()
    )
    return row[0] if row is not None and row[1] else None


def reserve_slots(server_id: int) -> list[str]:
    """Move the oldest queued jobs of a server into `starting` while it has free slots.
    A reserved job has no lease owner yet: the first runner to claim it runs it. Returns
    the reserved job ids (the caller dispatches them)."""
    now = timezone.now()
    with transaction.atomic():
        cap = _lock_for_admission(server_id)
        if cap is None:
            return []
        active = Job.objects.filter(server_id=server_id, status__in=ACTIVE_STATUSES).count()
        free = cap - active
        if free <= 0:
            return []
        ids = list(
            Job.objects.filter(server_id=server_id, status=JobStatus.QUEUED)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)[:free]
        )
        if not ids:
            return []
        lifecycle.reserve([str(pk) for pk in ids], expires_at=now + pending_expiry())
    return [str(pk) for pk in ids]


def claim(job_id: str, owner: str) -> bool:
    """Take the lease of an active job that is reserved (no owner) or whose lease ran out."""
    now = timezone.now()
    won = (
        Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES)
        .filter(Q(lease_owner="") | Q(lease_expires_at__lt=now) | Q(lease_expires_at=None))
        .update(lease_owner=owner, lease_expires_at=now + lease_expiry(), heartbeat_at=now)
    )
    return won == 1


def admit_and_claim(job_id: str, owner: str) -> tuple[bool, list[str]]:
    """What a runner does with a dispatched job id: admit queued jobs of its server (FIFO,
    within max_concurrent_jobs), then try to claim this one. Returns (won, other job ids
    that were admitted and must be dispatched)."""
    row = Job.objects.filter(pk=job_id).values("status", "server_id").first()
    if row is None or row["status"] in TERMINAL_STATUSES:
        return False, []
    others: list[str] = []
    if row["status"] == JobStatus.QUEUED:
        if sql.postgresql():
            reserved = _admit_and_claim_pg(row["server_id"], job_id, owner)
            others = [pk for pk in reserved if pk != job_id]
            if len(others) < len(reserved):
                return True, others  # reserved and claimed in one statement
        else:
            others = [pk for pk in reserve_slots(row["server_id"]) if pk != job_id]
    return claim(job_id, owner), others


def _admit_and_claim_pg(server_id: int, job_id: str, owner: str) -> list[str]:
    now = timezone.now()
    # Inside the runner's claim transaction (process.claim_and_load): no savepoint, whose
    # two statements would be on every start's path.
    with transaction.atomic(savepoint=False):
        cap = _lock_for_admission(server_id)
        if cap is None:
            return []
        return sql.admit_and_claim(
            server_id, cap, job_id, owner, now=now,
            lease_until=now + lease_expiry(), pending_until=now + pending_expiry(),
        )  # fmt: skip


def renew_and_check(owner: str, job_ids: list[str], *, renew: bool) -> dict[str, datetime | None]:
    """One round trip for all of a process's jobs: extend the leases (when due), and
    return {job id: cancel_requested_at} for the jobs this process still holds."""
    now = timezone.now()
    if renew:
        Job.objects.filter(lease_owner=owner).exclude(status__in=TERMINAL_STATUSES).update(
            lease_expires_at=now + lease_expiry()
        )
    held = Job.objects.filter(pk__in=job_ids, lease_owner=owner).values_list(
        "pk", "cancel_requested_at"
    )
    return {str(pk): cancel for pk, cancel in held}


def release(job_id: str | UUID, owner: str) -> None:
    """Give one lease back early (the job's task ended without finishing the job)."""
    Job.objects.filter(pk=job_id, lease_owner=owner).update(
        lease_owner="", lease_expires_at=timezone.now()
    )


def release_all(owner_or_prefix: str, *, prefix: bool = False) -> list[str]:
    """A stopping (or dead) runner's jobs become claimable at once, so another runner
    reattaches within seconds instead of waiting for the leases to expire."""
    jobs = Job.objects.exclude(status__in=TERMINAL_STATUSES)
    if prefix:
        jobs = jobs.filter(lease_owner__startswith=owner_or_prefix)
    else:
        jobs = jobs.filter(lease_owner=owner_or_prefix)
    ids = [str(pk) for pk in jobs.values_list("pk", flat=True)]
    if ids:
        Job.objects.filter(pk__in=ids, lease_owner__startswith=owner_or_prefix).update(
            lease_owner="", lease_expires_at=timezone.now()
        )
    return ids


def pending_expiry() -> timedelta:
    """How long a reserved job may wait for a runner before the reaper dispatches it
    again: covers a dispatch message lost with Redis."""
    return max(2 * lease_expiry(), timedelta(seconds=30))


def reap() -> list[str]:
    """Find work nobody is doing: active jobs whose lease expired or was released (their
    runner died or stopped), and queued jobs on servers with free slots. Safe to run
    anywhere, any number of times at once: claiming is what decides, so a duplicate
    dispatch is harmless. Returns the job ids to dispatch."""
    now = timezone.now()
    # One query when there is nothing to do (the common case, every few seconds).
    rows = Job.objects.filter(
        Q(status=JobStatus.QUEUED)
        | Q(status__in=ACTIVE_STATUSES) & (Q(lease_expires_at__lt=now) | Q(lease_expires_at=None))
    ).values_list("pk", "status", "server_id")
    claimable: list[str] = []
    server_ids: set[int] = set()
    for pk, status, server_id in rows:
        if status == JobStatus.QUEUED:
            server_ids.add(server_id)
        else:
            claimable.append(str(pk))
    reserved: list[str] = []
    for server_id in sorted(server_ids):
        reserved += reserve_slots(server_id)
    found = claimable + reserved
    if found:
        log.info("reaper: %d claimable and %d newly admitted jobs", len(claimable), len(reserved))
    return found
