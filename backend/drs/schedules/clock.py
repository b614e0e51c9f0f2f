"""The schedule clock: every second (`manage.py notifier`), the due schedules each get
their tick. A tick is taken with a conditional UPDATE of `next_run_at` (the clock that
moves it on owns the tick; another's UPDATE matches no row) and recorded under a unique
(schedule, tick) constraint, so several clocks, one per worker node, create one job."""

from __future__ import annotations

import logging

from django.utils import timezone

from drs.schedules.models import Schedule
from drs.schedules.services import next_run_after, schedule_run

log = logging.getLogger("drs.schedules")


def run_due(*, limit: int = 100) -> int:
    """Run every due tick; how many this clock took. Ticks missed while no clock ran
    (a node down for an hour) are not replayed: the latest one runs, once."""
    now = timezone.now()
    taken = 0
    due = Schedule.objects.filter(enabled=True, next_run_at__lte=now).select_related("owner")
    for schedule in due[:limit]:
        tick = schedule.next_run_at
        assert tick is not None
        following = next_run_after(schedule, now)
        moved = Schedule.objects.filter(pk=schedule.pk, enabled=True, next_run_at=tick).update(
            next_run_at=following
        )
        if not moved:
            continue  # another clock took this tick
        taken += 1
        run = schedule_run(schedule=schedule, scheduled_for=tick)
        if run is not None:
            log.info("schedule %s tick %s: %s %s", schedule.pk, tick, run.outcome, run.error)
    return taken
