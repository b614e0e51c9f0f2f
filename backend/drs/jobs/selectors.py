from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Length

from drs.common.isotime import iso_time
from drs.jobs import logsearch, sql
from drs.jobs.models import Job, LogChunk


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
    hottest read of the API. The byte bound is applied before any data is read: a page
    of 5,000 chunks of 64 KiB would otherwise move 320 MB to keep 1 MiB."""
    chunks = LogChunk.objects.filter(job=job)
    if stream:
        chunks = chunks.filter(stream=stream)
    backwards = tail is not None or before is not None
    raw, cut = log_rows(
        job_id=job.pk,
        stream=stream,
        after=after,
        before=before,
        backwards=backwards,
        count=tail if tail is not None else limit,
        max_bytes=max_bytes,
    )
    rows: list[dict[str, Any]] = [
        {
            "seq": seq,
            "stream": chunk_stream,
            "offset": offset,
            "time": time,
            "line": line,
            "data": bytes(data).decode("utf-8", errors="replace"),
        }
        for seq, chunk_stream, offset, time, line, data in raw
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


Row = sql.Row  # seq, stream, offset, time (ISO 8601 text), line, data
COLUMNS = ("seq", "stream", "offset", "time", "line", "data")


def log_rows(
    *,
    job_id: Any,
    stream: str | None = None,
    after: int | None = None,
    before: int | None = None,
    upto: int | None = None,
    backwards: bool = False,
    count: int,
    max_bytes: int | None = None,
) -> tuple[list[Row], bool]:
    """The one reader of a job's LogChunk rows, for REST pages (`log_page`) and websockets
    (realtime.consumers): in seq order, at most COUNT of them: those after AFTER (or,
    BACKWARDS, the last ones before BEFORE), up to UPTO, within about MAX_BYTES of data
    (at least one row). Also whether more may lie beyond them."""
    window = sql.LogWindow(job_id, stream, after, before, upto, backwards)
    if max_bytes is None:  # one plain query: a websocket sizes its batches itself
        window_rows = _window(window).values_list(*COLUMNS)[:count]
        found = [
            (seq, chunk_stream, offset, iso_time(time), line, bytes(data))
            for seq, chunk_stream, offset, time, line, data in window_rows
        ]
        return sorted(found) if backwards else found, len(found) == count
    read = sql.page_rows if sql.postgresql() else page_rows
    return read(window, count=count, max_bytes=max_bytes)


def _chunks(job_id: Any, stream: str | None) -> QuerySet[LogChunk]:
    chunks = LogChunk.objects.filter(job_id=job_id)
    return chunks.filter(stream=stream) if stream else chunks


def _window(window: sql.LogWindow) -> QuerySet[LogChunk]:
    """The chunks a read may return, in its reading order."""
    chunks = _chunks(window.job_id, window.stream)
    if window.upto is not None:
        chunks = chunks.filter(seq__lte=window.upto)
    if window.backwards:
        before = window.before
        return (chunks.filter(seq__lt=before) if before is not None else chunks).order_by("-seq")
    return chunks.filter(seq__gt=window.after or 0).order_by("seq")


def page_rows(window: sql.LogWindow, *, count: int, max_bytes: int) -> tuple[list[Row], bool]:
    """`log_rows` bounded by bytes, through the ORM. Two queries: the seqs with their
    sizes (no data read) decide where the byte bound cuts, then the rows."""
    chunks = _window(window)
    sizes = list(chunks.annotate(size=Length("data")).values_list("seq", "size")[:count])
    kept, total = 0, 0
    for _seq, size in sizes:
        if kept and total + size > max_bytes:
            break
        total += size
        kept += 1
    cut = kept < len(sizes) or len(sizes) == count
    if not kept:
        return [], cut
    seqs = [seq for seq, _size in sizes[:kept]]
    rows = (
        _chunks(window.job_id, window.stream)
        .filter(seq__gte=min(seqs), seq__lte=max(seqs))
        .order_by("seq")
        .values_list(*COLUMNS)
    )
    return [(*row[:3], iso_time(row[3]), *row[4:]) for row in rows], cut


def log_search(
    *, job: Job, q: str, stream: str | None = None, cursor: int = 0, limit: int = 100
) -> dict[str, Any]:
    """Lines of the whole log containing `q` (LogSearchPageSerializer's shape): the chunks
    are streamed from the database in order, never all held at once. On PostgreSQL an
    ASCII query reads only the chunks that can matter (see sql.candidate_seqs)."""
    chunks = LogChunk.objects.filter(job=job)
    if stream:
        chunks = chunks.filter(stream=stream)
    fields = ("seq", "stream", "line", "data")
    seqs = None
    if sql.postgresql() and q.isascii():
        seqs = sql.candidate_seqs(job=job, q=q, stream=stream)
    rows: Iterable[tuple[int, str, int, bytes]]
    if seqs is None:
        rows = chunks.order_by("seq").values_list(*fields).iterator(chunk_size=FETCH_ROWS)
        # On PostgreSQL .iterator() is a server-side cursor, WITH HOLD outside a
        # transaction: the server would compute the whole log before the first row. In one
        # it streams, and the search stops reading once its page and count are settled.
        with transaction.atomic():
            return logsearch.search(rows, q, cursor=cursor, limit=limit)
    else:
        rows = (
            row
            for start in range(0, len(seqs), FETCH_ROWS)
            for row in chunks.filter(seq__in=seqs[start : start + FETCH_ROWS])
            .order_by("seq")
            .values_list(*fields)
        )
    return logsearch.search(rows, q, cursor=cursor, limit=limit)


FETCH_ROWS = 2000  # chunks per database round trip while searching


def log_bytes(*, job: Job, stream: str | None, batch: int = 500) -> Any:
    """The exact stored bytes, in order, without holding the whole log in memory."""
    chunks = LogChunk.objects.filter(job=job).order_by("seq")
    if stream:
        chunks = chunks.filter(stream=stream)
    for data in chunks.values_list("data", flat=True).iterator(chunk_size=batch):
        yield bytes(data)
