from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Length

from drs.common.isotime import iso_time
from drs.jobs import logsearch
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
    count = tail if tail is not None else limit
    if connection.vendor == "postgresql":
        raw, cut = page_rows_postgres(
            job=job,
            stream=stream,
            after=after,
            before=before,
            backwards=backwards,
            count=count,
            max_bytes=max_bytes,
        )
    else:
        raw, cut = page_rows(
            chunks,
            after=after,
            before=before,
            backwards=backwards,
            count=count,
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


Row = tuple[int, str, int, str, int, bytes]  # seq, stream, offset, time (ISO), line, data


def page_rows(
    chunks: QuerySet[LogChunk],
    *,
    after: int | None,
    before: int | None,
    backwards: bool,
    count: int,
    max_bytes: int,
) -> tuple[list[Row], bool]:
    """The page's rows in seq order, and whether more may lie beyond it. Two queries: the
    seqs with their sizes (no data read) decide where the byte bound cuts, then the rows."""
    if backwards:
        window = chunks.filter(seq__lt=before) if before is not None else chunks
        window = window.order_by("-seq")
    else:
        window = chunks.filter(seq__gt=after or 0).order_by("seq")
    sizes = list(window.annotate(size=Length("data")).values_list("seq", "size")[:count])
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
        chunks.filter(seq__gte=min(seqs), seq__lte=max(seqs))
        .order_by("seq")
        .values_list("seq", "stream", "offset", "time", "line", "data")
    )
    return [(*row[:3], iso_time(row[3]), *row[4:]) for row in rows], cut


# One query: the page (LIMIT count, in the reading direction), a running byte total over
# it (octet_length reads a TOASTed value's size without fetching it), and only the rows
# within max_bytes (always the first) go out. The server formats the times as
# common.isotime.iso_time does (parsing 1,000 timestamps only to print them again would
# cost a page a third of its time).
PAGE_SQL = """
SELECT seq, stream, "offset",
    to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), line, data, rows_read
FROM (
    SELECT page.*,
        sum(octet_length(data)) OVER (ORDER BY seq {order} ROWS UNBOUNDED PRECEDING) AS bytes,
        row_number() OVER (ORDER BY seq {order}) AS n,
        count(*) OVER () AS rows_read
    FROM (
        SELECT seq, stream, "offset", time, line, data FROM jobs_logchunk
        WHERE job_id = %(job)s {where} ORDER BY seq {order} LIMIT %(count)s
    ) AS page
) AS sized
WHERE n = 1 OR bytes <= %(max_bytes)s
ORDER BY seq
"""


def page_rows_postgres(
    *,
    job: Job,
    stream: str | None,
    after: int | None,
    before: int | None,
    backwards: bool,
    count: int,
    max_bytes: int,
) -> tuple[list[Row], bool]:
    """As page_rows, in one round trip."""
    where = "AND stream = %(stream)s" if stream else ""
    if before is not None:
        where += " AND seq < %(before)s"
    elif not backwards:
        where += " AND seq > %(after)s"
    order = "DESC" if backwards else "ASC"
    params = {
        "job": job.pk,
        "stream": stream,
        "after": after or 0,
        "before": before,
        "count": count,
        "max_bytes": max_bytes,
    }
    with connection.cursor() as cursor:
        cursor.execute(PAGE_SQL.format(order=order, where=where), params)
        fetched = cursor.fetchall()
    if not fetched:
        return [], False
    rows_read = fetched[0][6]
    return [row[:6] for row in fetched], len(fetched) < rows_read or rows_read == count


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
