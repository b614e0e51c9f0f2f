from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Length

from drs.jobs import logsearch
from drs.jobs.models import Job, LogChunk

CHUNK_FIELDS = ("seq", "stream", "offset", "time", "line", "data")


def job_list(*, user: Any) -> QuerySet[Job]:
    """Jobs the user may see: their own; staff see all."""
    jobs = Job.objects.select_related("owner", "server", "interpreter")
    return jobs if user.is_staff else jobs.filter(owner=user)


def log_page(
    *,
    job: Job,
    after: int | None = None,
    before: int | None = None,
    tail: int | None = None,
    limit: int = 1000,
    max_bytes: int = 1 << 20,
    stream: str | None = None,
) -> dict[str, Any]:
    """One page of the log (LogPageSerializer's shape) as plain rows, text decoded (invalid
    bytes replaced). Plain dicts, not model instances and a serializer: this is the
    hottest read of the API.

    Two queries: the page's seqs with their sizes (no data read), which decide where the
    byte bound cuts, then the rows themselves. A page of 5,000 chunks of 64 KiB would
    otherwise move 320 MB to keep 1 MiB."""
    chunks = LogChunk.objects.filter(job=job)
    if stream:
        chunks = chunks.filter(stream=stream)
    backwards = tail is not None or before is not None
    if tail is not None:
        window, count = chunks.order_by("-seq"), tail
    elif before is not None:
        window, count = chunks.filter(seq__lt=before).order_by("-seq"), limit
    else:
        window, count = chunks.filter(seq__gt=after or 0).order_by("seq"), limit
    sizes = list(window.annotate(size=Length("data")).values_list("seq", "size")[:count])
    kept, total = 0, 0
    for _seq, size in sizes:
        if kept and total + size > max_bytes:
            break
        total += size
        kept += 1
    cut = kept < len(sizes) or len(sizes) == count  # more may lie beyond this page
    rows: list[dict[str, Any]] = []
    if kept:
        seqs = [seq for seq, _size in sizes[:kept]]
        rows = [
            row | {"data": bytes(row["data"]).decode("utf-8", errors="replace")}
            for row in chunks.filter(seq__gte=min(seqs), seq__lte=max(seqs))
            .order_by("seq")
            .values(*CHUNK_FIELDS)
        ]
    first_seq = rows[0]["seq"] if rows else None
    if rows:
        next_after = rows[-1]["seq"]
    elif tail is not None:
        next_after = job.last_seq  # read before the chunks: none of them is newer
    elif before is not None:
        next_after = before - 1
    else:
        next_after = after or 0
    if first_seq is None:
        has_earlier = not backwards and bool(after) and chunks.filter(seq__lte=after).exists()
    elif backwards:
        has_earlier = cut and chunks.filter(seq__lt=first_seq).exists()
    else:
        has_earlier = bool(after) and chunks.filter(seq__lt=first_seq).exists()
    complete = job.is_terminal and (
        next_after >= job.last_seq
        or (bool(stream) and not chunks.filter(seq__gt=next_after).exists())
    )
    return {
        "results": rows,
        "next_after": next_after,
        "first_seq": first_seq,
        "has_earlier": has_earlier,
        "complete": complete,
        "last_seq": job.last_seq,
        "line_count": job.line_count,
    }


def log_search(
    *, job: Job, q: str, stream: str | None = None, cursor: int = 0, limit: int = 100
) -> dict[str, Any]:
    """Lines of the whole log containing `q` (LogSearchPageSerializer's shape): the chunks
    are streamed from the database in order, never all held at once."""
    chunks = LogChunk.objects.filter(job=job)
    if stream:
        chunks = chunks.filter(stream=stream)
    rows: Iterator[tuple[int, str, int, bytes]] = (
        chunks.order_by("seq")
        .values_list("seq", "stream", "line", "data")
        .iterator(chunk_size=logsearch.FETCH_ROWS)
    )
    return logsearch.search(rows, q, cursor=cursor, limit=limit)


def log_bytes(*, job: Job, stream: str | None, batch: int = 500) -> Any:
    """The exact stored bytes, in order, without holding the whole log in memory."""
    chunks = LogChunk.objects.filter(job=job).order_by("seq")
    if stream:
        chunks = chunks.filter(stream=stream)
    for data in chunks.values_list("data", flat=True).iterator(chunk_size=batch):
        yield bytes(data)
