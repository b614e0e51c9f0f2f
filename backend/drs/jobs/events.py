"""Job status changes, told to whoever listens, always after the commit.

drs.jobs sits below the apps that deliver these changes (drs.realtime puts them on the
channel layer for `/ws/jobs/` and log followers), so it does not call them: they subscribe
when Django starts (`RealtimeConfig.ready`) and this module tells every subscriber."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.db import transaction

from drs.jobs.models import Job

# (job id, owner id, the job as `job_event_payload` shows it)
JobChange = tuple[Any, int, dict[str, Any]]


class JobChangeSubscriber(Protocol):
    def jobs_changed(self, changes: Sequence[JobChange]) -> None:
        """Sync code (request threads, tasks): the changes, in order, in one call."""
        ...

    async def ajobs_changed(self, changes: Sequence[JobChange]) -> None:
        """The same from async code (runners)."""
        ...


_subscribers: list[JobChangeSubscriber] = []


def subscribe(subscriber: JobChangeSubscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def job_event_payload(job: Job) -> dict[str, Any]:
    from drs.jobs.serializers import JobSummarySerializer, represent

    return represent(JobSummarySerializer, job)


def publish_changes(changes: Sequence[JobChange]) -> None:
    """Tell every subscriber now (callers publish after their commit)."""
    for subscriber in _subscribers:
        subscriber.jobs_changed(changes)


def notify_job_changed(job: Job, *, reload: bool = True) -> None:
    """Publish the job's new state once the current transaction (if any) commits. The
    state is read again then, unless the caller's `job` is exactly what was written (a
    job just created): `reload=False` serializes it now instead."""
    if not _subscribers:
        return
    job_id, owner_id = job.pk, job.owner_id
    payload = None if reload else job_event_payload(job)

    def publish() -> None:
        data = payload
        if data is None:
            fresh = Job.objects.select_related("owner", "server", "interpreter").get(pk=job_id)
            data = job_event_payload(fresh)
        publish_changes([(job_id, owner_id, data)])

    transaction.on_commit(publish)


async def anotify_job_changed(job_id: Any, *, job: Job | None = None) -> None:
    """Publish the job's state as the database has it now, or as `job` (loaded with its
    owner, server and interpreter) holds it when the caller has just read it. Serializing
    a loaded job touches no database: it runs here, not in the database thread."""
    if not _subscribers:
        return
    if job is None:
        job = await Job.objects.select_related("owner", "server", "interpreter").aget(pk=job_id)
    changes = [(job.pk, job.owner_id, job_event_payload(job))]
    for subscriber in _subscribers:
        await subscriber.ajobs_changed(changes)
