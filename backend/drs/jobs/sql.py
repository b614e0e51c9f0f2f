"""The SQL of drs.jobs that only PostgreSQL runs: each function here has a portable
counterpart elsewhere in the app (its ORM form, which SQLite runs), and `postgresql()`
is the one place that chooses between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from drs.jobs.choices import ACTIVE_STATUSES, JobStatus
from drs.jobs.models import Job

# seq, stream, offset, time (ISO 8601 text), line, data
Row = tuple[int, str, int, str, int, bytes]


def postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class LogWindow:
    """The chunks a log read may return (selectors.log_rows): of JOB_ID (in STREAM when
    given), after AFTER or, BACKWARDS, before BEFORE, up to UPTO."""

    job_id: Any
    stream: str | None
    after: int | None
    before: int | None
    upto: int | None
    backwards: bool


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


def page_rows(window: LogWindow, *, count: int, max_bytes: int) -> tuple[list[Row], bool]:
    """As selectors.page_rows, in one round trip."""
    where = "AND stream = %(stream)s" if window.stream else ""
    if window.before is not None:
        where += " AND seq < %(before)s"
    elif not window.backwards:
        where += " AND seq > %(after)s"
    if window.upto is not None:
        where += " AND seq <= %(upto)s"
    order = "DESC" if window.backwards else "ASC"
    params = {
        "job": window.job_id,
        "stream": window.stream,
        "after": window.after or 0,
        "before": window.before,
        "upto": window.upto,
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


MAX_CANDIDATES = 200_000  # beyond this (e.g. hours of \r progress bars), read everything
PARALLEL_FROM = 20_000  # chunks; a shorter log is scanned in a few ms, workers would not pay

# One scan: the chunks that contain the needle (ASCII case-insensitive) or leave a line
# open (their last byte is not a newline). No ORDER BY and no cursor, so PostgreSQL may
# split it among parallel workers.
CANDIDATES_SQL = """
SELECT seq, open_end FROM (
    SELECT seq,
        CASE WHEN length(data) = 0 THEN false
            ELSE get_byte(data, length(data) - 1) <> 10 END AS open_end,
        {hit} AS hit
    FROM jobs_logchunk WHERE job_id = %(job)s {stream}
) AS chunk WHERE open_end OR hit LIMIT %(limit)s
"""
# A needle with a letter: encode(.., 'escape') makes any bytes text (NUL and high bytes
# become \nnn, a backslash doubles) leaving every other ASCII byte as it is; C-collation
# lower() lowers ASCII letters only, as logsearch.Matcher does. The copies cost more
# than the scan itself.
HIT_FOLDED = """strpos(lower(encode(data, 'escape') COLLATE "C"), %(needle)s) > 0"""
# A needle without letters matches the lowered bytes exactly where it matches the bytes:
# those are searched as they are, without the copies.
HIT_BYTES = "position(%(needle)s::bytea IN data) > 0"
# PostgreSQL estimates that most chunks qualify (it has no statistics on these
# expressions), so it expects the LIMIT to end the scan early and not to pay for
# workers: on a long log, tell it (for this transaction only) that workers cost nothing
# to start or to hear from. They still come only as max_parallel_workers_per_gather and
# max_parallel_workers allow.
PARALLEL_SQL = (
    "SELECT set_config('parallel_setup_cost', '0', true), "
    "set_config('parallel_tuple_cost', '0', true)"
)
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
    letters = q.lower() != q.upper()
    params: dict[str, Any] = {
        "needle": q.lower().replace("\\", "\\\\") if letters else q.encode(),
        "job": job.pk,
        "stream": stream,
        "limit": MAX_CANDIDATES + 1,
    }
    query = CANDIDATES_SQL.format(
        hit=HIT_FOLDED if letters else HIT_BYTES,
        stream="AND stream = %(stream)s" if stream else "",
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if job.last_seq >= PARALLEL_FROM:
            cursor.execute(PARALLEL_SQL)
        cursor.execute(query, params)
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


def admit_and_claim(
    server_id: int, cap: int, job_id: Any, owner: str, *, now: datetime,
    lease_until: datetime, pending_until: datetime,
) -> list[str]:  # fmt: skip
    """PostgreSQL, in the caller's transaction holding the server row (a statement of its
    own, so it counts what the previous holder committed): `reserve` of the server's
    oldest queued jobs while fewer than CAP are active, and `claim` of JOB_ID by OWNER
    if it is among them, in one statement (the ORM's four were a third of a warm
    start's wait before its claim). The reserved ids, oldest first."""
    table = connection.ops.quote_name(Job._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the model's own table name is formatted in.
            f"WITH picked AS (SELECT id, created_at FROM {table} WHERE server_id = %(server)s "  # noqa: S608  # nosec B608
            "AND status = %(queued)s ORDER BY created_at, id LIMIT GREATEST(0, %(cap)s - "
            f"(SELECT count(*) FROM {table} WHERE server_id = %(server)s "
            "AND status = ANY(%(active)s)))) "
            f"UPDATE {table} AS j SET status = %(starting)s, "
            "lease_owner = CASE WHEN j.id = %(job)s THEN %(owner)s ELSE '' END, "
            "lease_expires_at = CASE WHEN j.id = %(job)s THEN %(lease)s ELSE %(pending)s END, "
            "heartbeat_at = CASE WHEN j.id = %(job)s THEN %(now)s ELSE j.heartbeat_at END "
            "FROM picked WHERE j.id = picked.id AND j.status = %(queued)s "
            "RETURNING j.id, picked.created_at",
            {
                "server": server_id, "queued": JobStatus.QUEUED, "cap": cap,
                "active": sorted(ACTIVE_STATUSES),
                "starting": JobStatus.STARTING, "job": str(job_id), "owner": owner,
                "lease": lease_until, "pending": pending_until, "now": now,
            },
        )  # fmt: skip
        rows = cursor.fetchall()
    return [str(pk) for pk, _ in sorted(rows, key=lambda row: (row[1], str(row[0])))]
