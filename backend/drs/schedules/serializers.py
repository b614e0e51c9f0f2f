from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from drs.schedules.choices import RunOutcome
from drs.schedules.cron import cron_error, next_runs, timezone_error
from drs.schedules.models import Schedule, ScheduleRun
from drs.schedules.services import validate_job_body


class ScheduleRunSerializer(serializers.ModelSerializer[ScheduleRun]):
    outcome = serializers.ChoiceField(choices=RunOutcome.choices, read_only=True)
    job_status = serializers.CharField(source="job.status", read_only=True, allow_null=True)

    class Meta:
        model = ScheduleRun
        fields = ["scheduled_for", "created_at", "outcome", "job", "job_status", "error"]
        read_only_fields = fields


class ScheduleSerializer(serializers.ModelSerializer[Schedule]):
    cron = serializers.CharField(
        max_length=200, help_text="5 fields: minute hour day-of-month month day-of-week."
    )
    timezone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name the cron reads in (default UTC)."
    )
    job = serializers.JSONField(
        help_text="A body POST /api/jobs/ accepts; validated now and again at every run."
    )
    next_runs = serializers.SerializerMethodField()
    last_job = serializers.SerializerMethodField()
    last_runs = serializers.SerializerMethodField()

    class Meta:
        model = Schedule
        fields = [
            "id", "name", "cron", "timezone", "job", "overlap", "enabled", "next_run_at",
            "next_runs", "last_job", "last_runs", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "next_run_at", "created_at"]

    def validate_cron(self, value: str) -> str:
        value = " ".join(value.split())
        if error := cron_error(value):
            raise serializers.ValidationError(error)
        return value

    def validate_timezone(self, value: str) -> str:
        if error := timezone_error(value):
            raise serializers.ValidationError(error)
        return value

    def validate_job(self, value: Any) -> Any:
        validate_job_body(owner=self.context["request"].user, body=value)
        return value

    @extend_schema_field(serializers.ListField(child=serializers.DateTimeField()))
    def get_next_runs(self, schedule: Schedule) -> list[datetime]:
        """The next five ticks (UTC; the SPA shows them in the viewer's timezone)."""
        if not schedule.enabled or schedule.next_run_at is None:
            return []
        first = schedule.next_run_at
        return [first, *next_runs(schedule.cron, schedule.timezone, max(first, timezone.now()), 4)]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_last_job(self, schedule: Schedule) -> str | None:
        runs = self._runs(schedule)
        job = next((run.job_id for run in runs if run.job_id), None)
        return str(job) if job else None

    @extend_schema_field(ScheduleRunSerializer(many=True))
    def get_last_runs(self, schedule: Schedule) -> list[dict[str, Any]]:
        return list(ScheduleRunSerializer(self._runs(schedule), many=True).data)

    def _runs(self, schedule: Schedule) -> list[ScheduleRun]:
        cache = self.context.setdefault("_runs", {})
        if schedule.pk not in cache:
            cache[schedule.pk] = list(schedule.runs.select_related("job")[:10])
        return list(cache[schedule.pk])
