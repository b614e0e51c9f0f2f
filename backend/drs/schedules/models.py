from __future__ import annotations

from django.conf import settings
from django.db import models

from drs.schedules.choices import Overlap, RunOutcome


class Schedule(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedules"
    )
    name = models.CharField(max_length=200)
    cron = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC")
    job = models.JSONField()  # a body POST /api/jobs/ accepts, validated again at each run
    overlap = models.CharField(max_length=5, choices=Overlap.choices, default=Overlap.SKIP)
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)  # null while disabled
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["enabled", "next_run_at"], name="schedule_due")]

    def __str__(self) -> str:
        return self.name


class ScheduleRun(models.Model):
    """One tick of a schedule. Unique per (schedule, tick): however many clocks run, a
    tick creates at most one job."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="runs")
    scheduled_for = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=RunOutcome.choices)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "scheduled_for"], name="schedulerun_once_per_tick"
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id}@{self.scheduled_for:%Y-%m-%d %H:%M} {self.outcome}"
