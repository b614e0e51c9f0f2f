from django.contrib import admin

from drs.schedules.models import Schedule, ScheduleRun


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin[Schedule]):
    list_display = ["id", "name", "owner", "cron", "timezone", "enabled", "next_run_at"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin[ScheduleRun]):
    list_display = ["id", "schedule", "scheduled_for", "outcome", "job"]
