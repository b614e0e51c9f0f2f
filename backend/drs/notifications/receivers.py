"""Job events → deliveries and emails. Runs in whichever process ended the job (a
runner's database thread, a web request), right after the commit: it only writes rows
and enqueues ids; the sender and django-q2 do the network work."""

from __future__ import annotations

from typing import Any

from drs.jobs.events import job_event_payload
from drs.jobs.models import Job
from drs.notifications import services
from drs.notifications.choices import FAILED_STATUSES, Event
from drs.signals import job_finished, job_started


def _job_data(job: Job) -> dict[str, Any]:
    return {"job": job_event_payload(job)}


def on_job_started(sender: type[Job], *, job: Job, **kwargs: Any) -> None:
    services.events_emit(owner_id=job.owner_id, events=[Event.JOB_STARTED], data=_job_data(job))


def on_job_finished(sender: type[Job], *, job: Job, **kwargs: Any) -> None:
    events = [Event.JOB_FINISHED]
    if job.status in FAILED_STATUSES:
        events.append(Event.JOB_FAILED)
    services.events_emit(owner_id=job.owner_id, events=events, data=_job_data(job))
    if job.notify_email and services.email_enabled() and job.owner.email:
        from django_q.tasks import async_task

        async_task("drs.notifications.tasks.send_job_email", str(job.pk))


def connect() -> None:
    job_started.connect(on_job_started, sender=Job, dispatch_uid="drs.notifications.started")
    job_finished.connect(on_job_finished, sender=Job, dispatch_uid="drs.notifications.finished")
