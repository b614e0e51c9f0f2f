"""Job status changes reach websocket clients from here, always after the commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from drs.jobs.models import Job
from drs.realtime import broadcast


def job_event_payload(job: Job) -> dict[str, Any]:
    from drs.jobs.serializers import JobSummarySerializer, represent

    return represent(JobSummarySerializer, job)


def notify_job_changed(job: Job, *, reload: bool = True) -> None:
    """Publish the job's new state once the current transaction (if any) commits. The
    state is read again then, unless the caller's `job` is exactly what was written (a
    job just created): `reload=False` serializes it now instead."""
    job_id, owner_id = job.pk, job.owner_id
    payload = None if reload else job_event_payload(job)

    def publish() -> None:
        data = payload
        if data is None:
            fresh = Job.objects.select_related("owner", "server", "interpreter").get(pk=job_id)
            data = job_event_payload(fresh)
        broadcast.publish_job(job_id, owner_id, data)

    transaction.on_commit(publish)


async def anotify_job_changed(job_id: Any, *, job: Job | None = None) -> None:
    """Publish the job's state as the database has it now, or as `job` (loaded with its
    owner, server and interpreter) holds it when the caller has just read it. Serializing
    a loaded job touches no database: it runs here, not in the database thread."""
    if job is None:
        job = await Job.objects.select_related("owner", "server", "interpreter").aget(pk=job_id)
    await broadcast.apublish_job(job.pk, job.owner_id, job_event_payload(job))
