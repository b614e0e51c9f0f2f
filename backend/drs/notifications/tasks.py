"""django-q2 tasks: mail, one message per task (the ORM broker runs a task at most once
with `max_attempts: 1`; Redis pops it once), ids only in the payload."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from drs.jobs.models import Job

log = logging.getLogger("drs.notifications")


def job_link(job: Job) -> str:
    return f"{settings.DRS_PUBLIC_URL}/jobs/{job.pk}"


def job_email(job: Job) -> tuple[str, str]:
    """Subject and body of the job-end message."""
    title = job.title or f"Job {job.pk}"
    subject = f"[DRS] {title}: {job.status}"
    duration = job.duration_seconds
    lines = [
        f"Job: {title}",
        f"Status: {job.status}",
        f"Exit code: {job.exit_code if job.exit_code is not None else '-'}",
        f"Duration: {f'{duration:.1f} s' if duration is not None else '-'}",
        f"Server: {job.server.name}",
    ]
    if job.error:
        lines.append(f"Error: {job.error}")
    lines += ["", f"Open it: {job_link(job)}", ""]
    return subject.replace("\n", " ")[:200], "\n".join(lines)


def send_job_email(job_id: str) -> None:
    if not settings.DRS_EMAIL_ENABLED:
        return
    job = Job.objects.select_related("owner", "server").filter(pk=job_id).first()
    if job is None or not job.notify_email or not job.owner.email:
        return
    subject, body = job_email(job)
    send_mail(subject, body, settings.DRS_EMAIL_FROM, [job.owner.email])
