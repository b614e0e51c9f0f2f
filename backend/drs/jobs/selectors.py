from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import CharField, Func, QuerySet
from django.db.models.functions import Length

from drs.common.isotime import iso_time
from drs.jobs import logsearch
from drs.jobs.models import Job, LogChunk


class IsoTime(Func):
    """A timestamptz as ISO 8601 text in UTC, formatted by PostgreSQL: parsing 1,000
    timestamps into datetimes only to print them again was a third of a log page's time.
    Same text as `common.isotime.iso_time` (microseconds always shown)."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    output_field = CharField()


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
        postgres = connection.vendor == "postgresql"
        rows = [
            {
                "seq": seq,
                "stream": chunk_stream,
                "offset": offset,
                "time": time if postgres else iso_time(time),
                "line": line,
                "data": bytes(data).decode("utf-8", errors="replace"),
            }
            for seq, chunk_stream, offset, time, line, data in chunks.filter(
                seq__gte=min(seqs), seq__lte=max(seqs)
            )
            .order_by("seq")
            .values_list(
                "seq", "stream", "offset", IsoTime("time") if postgres else "time", "line", "data"
            )
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
    are streamed from the database in order, never all held at once. On PostgreSQL an
    ASCII query reads only the chunks that can matter (see candidate_seqs)."""
    chunks = LogChunk.objects.filter(job=job)
    if stream:
        chunks = chunks.filter(stream=stream)
    fields = ("seq", "stream", "line", "data")
    seqs = None
    if connection.vendor == "postgresql" and q.isascii():
        seqs = candidate_seqs(job=job, q=q, stream=stream)
    rows: Iterable[tuple[int, str, int, bytes]]
    if seqs is None:
        rows = chunks.order_by("seq").values_list(*fields).iterator(chunk_size=FETCH_ROWS)
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
MAX_CANDIDATES = 200_000  # beyond this (e.g. hours of \r progress bars), read everything

# One scan, in parallel workers if PostgreSQL likes (no ORDER BY, no cursor): the chunks
# that contain the needle (ASCII case-insensitive) or leave a line open (their last byte
# is not a newline). encode(.., 'escape') makes any bytes text (NUL and high bytes become
# \nnn, a backslash doubles) leaving every other ASCII byte as it is; C-collation
# lower() lowers ASCII letters only, as logsearch.Matcher does.
CANDIDATES_SQL = """
SELECT seq, open_end FROM (
    SELECT seq,
        CASE WHEN length(data) = 0 THEN false
            ELSE get_byte(data, length(data) - 1) <> 10 END AS open_end,
        strpos(lower(encode(data, 'escape') COLLATE "C"), %(needle)s) > 0 AS hit
    FROM jobs_logchunk WHERE job_id = %(job)s {stream}
) AS chunk WHERE open_end OR hit LIMIT %(limit)s
"""
# The chunk after each open one (in the chosen stream): it may continue the line.
SUCCESSORS_SQL = """
SELECT (SELECT seq FROM jobs_logchunk WHERE job_id = %(job)s AND stream = %(stream)s
    AND seq > open.seq ORDER BY seq LIMIT 1)
FROM unnest(%(opens)s::bigint[]) AS open(seq)
"""


def candidate_seqs(*, job: Job, q: str, stream: str | None) -> list[int] | None:
    """The seqs a search for ASCII `q` must read, in order: chunks containing it, chunks
    that leave a line open and the chunks continuing those. Every other chunk holds only
    whole lines without a match, which the line scan would skip anyway: PostgreSQL drops
    them before they cross the wire (a 1,000,000-chunk log: one scan in the server
    instead of 1,000,000 rows to Python). None when too many chunks qualify to pay."""
    params: dict[str, Any] = {
        "needle": q.lower().replace("\\", "\\\\"),
        "job": job.pk,
        "stream": stream,
        "limit": MAX_CANDIDATES + 1,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            CANDIDATES_SQL.format(stream="AND stream = %(stream)s" if stream else ""), params
        )
        found = cursor.fetchall()
        if len(found) > MAX_CANDIDATES:
            return None
        needed = {seq for seq, _open in found}
        opens = [seq for seq, open_end in found if open_end]
        if opens and stream is None:
            needed.update(seq + 1 for seq in opens)  # seqs are consecutive in the log
        elif opens:
            cursor.execute(SUCCESSORS_SQL, params | {"opens": opens})
            needed.update(seq for (seq,) in cursor.fetchall() if seq is not None)
    return sorted(needed)


def log_bytes(*, job: Job, stream: str | None, batch: int = 500) -> Any:
    """The exact stored bytes, in order, without holding the whole log in memory."""
    chunks = LogChunk.objects.filter(job=job).order_by("seq")
    if stream:
        chunks = chunks.filter(stream=stream)
    for data in chunks.values_list("data", flat=True).iterator(chunk_size=batch):
        yield bytes(data)
