"""Runner liveness as seen from outside: every runner process refreshes its row every 15 s
(a quarter of DRS_HEALTH_HEARTBEAT_MAX_AGE when that is lower; `RunnerHeartbeat`);
health checks and supervisors read the newest one."""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job
from drs.runner.models import RunnerHeartbeat

STALE_AFTER = timedelta(days=1)
CLEANUP_SECONDS = 3600.0  # dead runners' rows are removed about this often
_next_cleanup = 0.0


def beat(owner: str, *, jobs: int) -> None:
    global _next_cleanup
    now = timezone.now()
    updated = RunnerHeartbeat.objects.filter(owner=owner).update(seen_at=now, jobs=jobs)
    if not updated:
        RunnerHeartbeat.objects.create(
            owner=owner,
            hostname=socket.gethostname()[:100],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
            jobs=jobs,
        )
    if time.monotonic() >= _next_cleanup:
        _next_cleanup = time.monotonic() + CLEANUP_SECONDS
        RunnerHeartbeat.objects.filter(seen_at__lt=now - STALE_AFTER).delete()


def forget(owner: str) -> None:
    RunnerHeartbeat.objects.filter(owner=owner).delete()


def latest_age() -> float | None:
    """Seconds since the newest heartbeat of any runner on any node; None if none ever."""
    newest = RunnerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"]
    if newest is None:
        return None
    return max(0.0, (timezone.now() - newest).total_seconds())


def node_heartbeat_age(hostname: str) -> float | None:
    """Seconds since the newest heartbeat of a runner on `hostname`; None if none."""
    newest = RunnerHeartbeat.objects.filter(hostname=hostname[:100]).aggregate(
        newest=Max("seen_at")
    )["newest"]
    return None if newest is None else max(0.0, (timezone.now() - newest).total_seconds())


def node_stall() -> dict[str, Any]:
    """This node's runners: stalled when their heartbeat is stale (or absent) while jobs
    wait or run. Only `stalled: true` should make a supervisor restart the tree; a failed
    query says nothing about the runners."""
    age = node_heartbeat_age(socket.gethostname())
    waiting = Job.objects.exclude(status__in=TERMINAL_STATUSES).count()
    limit = settings.DRS_HEALTH_HEARTBEAT_MAX_AGE
    stale = age is None or age > limit
    result: dict[str, Any] = {
        "ok": not (stale and waiting),
        "stalled": bool(stale and waiting),
        "heartbeat_age": None if age is None else round(age, 3),
        "jobs_not_finished": waiting,
    }
    if result["stalled"]:
        result["error"] = (
            f"no runner heartbeat on this node for over {limit} s while {waiting} jobs wait"
        )
    return result
