"""Writes of the schedules app, and one run of a schedule (`schedule_run`)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import serializers

from drs.applications.services import application_job_request
from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.serializers import JobCreateSerializer
from drs.jobs.services import job_create
from drs.notifications.choices import Event
from drs.notifications.services import events_emit
from drs.schedules.choices import Overlap, RunOutcome
from drs.schedules.cron import next_runs
from drs.schedules.models import Schedule, ScheduleRun


def validate_job_body(*, owner: Any, body: Any) -> dict[str, Any]:
    """The body as POST /api/jobs/ would take it from OWNER now: the same serializer,
    so a schedule's job is exactly a submission (a removed credential is refused)."""
    if not isinstance(body, dict):
        raise serializers.ValidationError("A JSON object: a body POST /api/jobs/ accepts.")
    data, recorded = body, dict[str, Any]()
    if "application" in body:  # rendered into a plain job, as POST /api/jobs/ does
        data, recorded = application_job_request(body, user=owner)
    checked = JobCreateSerializer(data=data, context={"request": SimpleNamespace(user=owner)})
    checked.is_valid(raise_exception=True)
    return {**checked.validated_data, **recorded}


def next_run_after(schedule: Schedule, after: datetime) -> datetime | None:
    if not schedule.enabled:
        return None
    return next_runs(schedule.cron, schedule.timezone, after)[0]


def schedule_save(*, schedule: Schedule, **fields: Any) -> Schedule:
    """Create or change; the next tick is counted again from now."""
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.next_run_at = next_run_after(schedule, timezone.now())
    schedule.save()
    return schedule


def error_text(detail: Any) -> str:
    """A validation error as one line: `credential: Invalid pk "3" - object does not exist.`"""
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {error_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(error_text(item) for item in detail)
    return str(detail)


def _previous_job_active(schedule: Schedule) -> bool:
    last = (
        ScheduleRun.objects.filter(schedule=schedule, outcome=RunOutcome.CREATED)
        .exclude(job=None)
        .values_list("job__status", flat=True)
        .first()
    )
    return last is not None and last not in TERMINAL_STATUSES


def schedule_run(*, schedule: Schedule, scheduled_for: datetime) -> ScheduleRun | None:
    """The tick SCHEDULED_FOR of SCHEDULE: a job created as its owner, a skip, or a
    failure recorded with its reason (and the owner told). None when another clock
    recorded this tick first."""
    try:
        with transaction.atomic():
            run = ScheduleRun(schedule=schedule, scheduled_for=scheduled_for)
            if schedule.overlap == Overlap.SKIP and _previous_job_active(schedule):
                run.outcome = RunOutcome.SKIPPED
                run.save()
                return run
            try:
                fields = validate_job_body(owner=schedule.owner, body=schedule.job)
            except serializers.ValidationError as exc:
                run.outcome, run.error = RunOutcome.FAILED, error_text(exc.detail)[:2000]
                run.save()
            else:
                run.outcome = RunOutcome.CREATED
                run.save()  # first: the unique tick decides before any job exists
                fields.setdefault("title", "")
                fields["title"] = fields["title"] or schedule.name
                run.job = job_create(owner=schedule.owner, schedule=schedule, **fields)
                run.save(update_fields=["job"])
    except IntegrityError:
        return None
    if run.outcome == RunOutcome.FAILED:
        _notify_failure(run)
    return run


def _notify_failure(run: ScheduleRun) -> None:
    from django.conf import settings

    schedule = run.schedule
    data = {
        "schedule": {"id": schedule.pk, "name": schedule.name},
        "scheduled_for": run.scheduled_for.isoformat(),
        "error": run.error,
    }
    events_emit(owner_id=schedule.owner_id, events=[Event.SCHEDULE_FAILED], data=data)
    if settings.DRS_EMAIL_ENABLED and schedule.owner.email:
        from django_q.tasks import async_task

        async_task("drs.schedules.tasks.send_schedule_failure_email", run.pk)
