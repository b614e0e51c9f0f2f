"""Runner liveness as seen from outside: every runner process refreshes its row every 15 s
(a quarter of DRS_HEALTH_HEARTBEAT_MAX_AGE when that is lower; `RunnerHeartbeat`);
health checks and supervisors read the newest one."""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

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
