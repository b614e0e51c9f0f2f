from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drs.schedules.models import Schedule, ScheduleRun


def schedule_list(*, user: Any) -> QuerySet[Schedule]:
    """Schedules are personal: a run creates jobs with its owner's credential."""
    return Schedule.objects.filter(owner=user)


def schedule_runs(*, schedule: Schedule, limit: int = 10) -> list[ScheduleRun]:
    return list(schedule.runs.select_related("job")[:limit])
