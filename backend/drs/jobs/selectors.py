from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drs.jobs.models import Job, LogChunk


def job_list(*, user: Any) -> QuerySet[Job]:
    """Jobs the user may see: their own; staff see all."""
    jobs = Job.objects.select_related("owner", "server", "interpreter")
    return jobs if user.is_staff else jobs.filter(owner=user)


def log_chunks(*, job: Job, after: int, limit: int) -> list[dict[str, Any]]:
    """One page of the log as plain rows, text decoded (invalid bytes replaced). Plain
    dicts, not model instances and a serializer: this is the hottest read of the API."""
    rows = (
        LogChunk.objects.filter(job=job, seq__gt=after)
        .order_by("seq")
        .values("seq", "stream", "offset", "time", "data")[:limit]
    )
    return [row | {"data": bytes(row["data"]).decode("utf-8", errors="replace")} for row in rows]


def log_bytes(*, job: Job, stream: str | None, batch: int = 500) -> Any:
    """The exact stored bytes, in order, without holding the whole log in memory."""
    chunks = LogChunk.objects.filter(job=job).order_by("seq")
    if stream:
        chunks = chunks.filter(stream=stream)
    for data in chunks.values_list("data", flat=True).iterator(chunk_size=batch):
        yield bytes(data)
