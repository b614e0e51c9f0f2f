"""Runner liveness as seen from outside: every runner process refreshes its row every few
seconds (`RunnerHeartbeat`); health checks and supervisors read the newest one."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from drs.runner.models import RunnerHeartbeat

STALE_AFTER = timedelta(days=1)


def beat(owner: str, *, jobs: int) -> None:
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
    RunnerHeartbeat.objects.filter(seen_at__lt=now - STALE_AFTER).delete()


def forget(owner: str) -> None:
    RunnerHeartbeat.objects.filter(owner=owner).delete()


def latest_age() -> float | None:
    """Seconds since the newest heartbeat of any runner on any node; None if none ever."""
    newest = RunnerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"]
    if newest is None:
        return None
    return max(0.0, (timezone.now() - newest).total_seconds())
