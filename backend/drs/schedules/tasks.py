"""django-q2 tasks of schedules: mail, one message per task, ids only in the payload."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from drs.schedules.models import ScheduleRun


def send_schedule_failure_email(run_id: int) -> None:
    if not settings.DRS_EMAIL_ENABLED:
        return
    run = ScheduleRun.objects.select_related("schedule__owner").filter(pk=run_id).first()
    if run is None or not run.schedule.owner.email:
        return
    schedule = run.schedule
    subject = f"[DRS] Schedule {schedule.name}: could not create its job"
    body = (
        f"Schedule: {schedule.name}\nDue: {run.scheduled_for.isoformat()}\n"
        f"Reason: {run.error}\n\nOpen it: {settings.DRS_PUBLIC_URL}/schedules\n"
    )
    send_mail(
        subject.replace("\n", " ")[:200], body, settings.DRS_EMAIL_FROM, [schedule.owner.email]
    )
