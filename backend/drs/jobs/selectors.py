from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drs.jobs.models import Job, LogChunk


def job_list(*, user: Any) -> QuerySet[Job]:
    """Jobs the user may see: their own; staff see all."""
    jobs = Job.objects.select_related("owner", "server", "interpreter")
    return jobs if user.is_staff else jobs.filter(owner=user)


def log_chunks(*, job: Job, after: int, limit: int) -> list[LogChunk]:
    return list(LogChunk.objects.filter(job=job, seq__gt=after).order_by("seq")[:limit])


def log_bytes(*, job: Job, stream: str | None, batch: int = 500) -> Any:
    """The exact stored bytes, in order, without holding the whole log in memory."""
    chunks = LogChunk.objects.filter(job=job).order_by("seq")
    if stream:
        chunks = chunks.filter(stream=stream)
    for data in chunks.values_list("data", flat=True).iterator(chunk_size=batch):
        yield bytes(data)
