"""Job status changes reach websocket clients from here, always after the commit."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction

from drs.jobs.models import Job
from drs.realtime import broadcast


def job_event_payload(job: Job) -> dict[str, Any]:
    from drs.jobs.serializers import JobSummarySerializer

    return dict(JobSummarySerializer(job).data)


def notify_job_changed(job: Job) -> None:
    """Publish the job's new state once the current transaction (if any) commits."""
    job_id, owner_id = job.pk, job.owner_id

    def publish() -> None:
        fresh = Job.objects.select_related("owner", "server", "interpreter").get(pk=job_id)
        broadcast.publish_job(job_id, owner_id, job_event_payload(fresh))

    transaction.on_commit(publish)


async def anotify_job_changed(job_id: Any) -> None:
    job = await Job.objects.select_related("owner", "server", "interpreter").aget(pk=job_id)
    payload = await sync_to_async(job_event_payload)(job)
    await broadcast.apublish_job(job.pk, job.owner_id, payload)
