"""The SQL of drs.runner that only PostgreSQL runs: each function here has a portable ORM
counterpart in logsink.py (which SQLite runs); `postgresql()` chooses between them."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

import psycopg
from django.db import connection, transaction

from drs.jobs.models import Job, LogChunk
from drs.jobs.sql import postgresql

if TYPE_CHECKING:
    from drs.runner.logsink import JobAdvance, PendingChunk

__all__ = ["copy_chunks", "persist_chunks", "postgresql"]


# The LogChunk fields a flush writes, with their PostgreSQL types (binary COPY needs them).
CHUNK_COLUMNS = (
    ("job", "uuid"),
    ("seq", "int8"),
    ("stream", "varchar"),
    ("offset", "int8"),
    ("data", "bytea"),
    ("time", "timestamptz"),
    ("line", "int8"),
)
# A flush of more bytes goes by COPY: one statement's `bytea[]` is copied into the
# parameters and parsed back by the server, which halved a flood's throughput.
STATEMENT_MAX_BYTES = 256 * 1024

# Only the model's own table and column names are formatted into these statements.
ADVANCE = (
    "UPDATE {job} AS j SET last_seq = v.last_seq, line_count = v.lines, "
    "stdout_offset = COALESCE(v.out_end, j.stdout_offset), "
    "stderr_offset = COALESCE(v.err_end, j.stderr_offset), heartbeat_at = %(now)s "
    "FROM unnest(%(ids)b::uuid[], %(after)b::bigint[], %(last)b::bigint[], "
    "%(out)b::bigint[], %(err)b::bigint[], %(lines)b::bigint[]) "
    "AS v(id, after, last_seq, out_end, err_end, lines) "
    "WHERE j.id = v.id AND j.lease_owner = %(owner)s AND j.last_seq = v.after "
    "RETURNING j.id"
)
ADVANCE_AND_INSERT = (
    "WITH moved AS (" + ADVANCE + "), "  # noqa: S608  # nosec B608
    "stored AS (INSERT INTO {chunk} ({columns}) "
    "SELECT c.job, c.seq, c.stream, c.off, c.data, %(now)s, c.line "
    "FROM unnest(%(c_job)b::uuid[], %(c_seq)b::bigint[], %(c_stream)b::varchar[], "
    "%(c_off)b::bigint[], %(c_data)b::bytea[], %(c_line)b::bigint[]) "
    "AS c(job, seq, stream, off, data, line) "
    "WHERE c.job IN (SELECT id FROM moved)) "
    "SELECT id FROM moved"
)


class Statements(NamedTuple):
    advance: str
    advance_and_insert: str
    copy: str


@functools.cache
def statements() -> Statements:
    """The flush's SQL with the models' table and column names, built once per process."""
    quote = connection.ops.quote_name
    job, chunk = quote(Job._meta.db_table), quote(LogChunk._meta.db_table)
    column = {f.name: f.column for f in LogChunk._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name, _ in CHUNK_COLUMNS)
    return Statements(
        advance=ADVANCE.format(job=job),
        advance_and_insert=ADVANCE_AND_INSERT.format(job=job, chunk=chunk, columns=columns),
        copy=f"COPY {chunk} ({columns}) FROM STDIN (FORMAT BINARY)",
    )


def persist_chunks(
    owner: str,
    advances: list[JobAdvance],
    rows: list[tuple[str | UUID, PendingChunk]],
    now: datetime,
) -> set[str]:
    """logsink.store_chunks on PostgreSQL. The job rows move in one UPDATE whatever the
    batch (one array per column, so the text is the same for any number of jobs), guarded
    by lease and last_seq; only the chunks of the rows that moved are stored. Up to
    STATEMENT_MAX_BYTES it is all one statement: outside a transaction block that is a
    transaction of its own, one round trip where BEGIN, UPDATE, COPY and COMMIT took four
    (each a wakeup of the server process: a third of a quiet job's line latency)."""
    params: dict[str, object] = {
        "now": now,
        "owner": owner,
        "ids": [UUID(a.job_id) for a in advances],
        "after": [a.after for a in advances],
        "last": [a.last_seq for a in advances],
        "out": [a.stdout_end for a in advances],
        "err": [a.stderr_end for a in advances],
        "lines": [a.line_count for a in advances],
    }
    if sum(len(c.data) for _, c in rows) > STATEMENT_MAX_BYTES:
        with transaction.atomic(savepoint=False):
            moved = _run(statements().advance, params)
            copy_chunks([(job_id, c) for job_id, c in rows if str(job_id) in moved], now)
        return moved
    params |= {
        "c_job": [job_id if isinstance(job_id, UUID) else UUID(job_id) for job_id, _ in rows],
        "c_seq": [c.seq for _, c in rows],
        "c_stream": [c.stream for _, c in rows],
        "c_off": [c.offset for _, c in rows],
        "c_data": [c.data for _, c in rows],
        "c_line": [c.line for _, c in rows],
    }
    return _run(statements().advance_and_insert, params)


def _run(statement: str, params: dict[str, object]) -> set[str]:
    """The ids a RETURNING statement gives. Django's cursors bind on the client; this one
    binds on the server and sends the arrays in binary (`%b`): as text, every bytea is
    hex-escaped and every element quoted (6.5 times the cost for 1,000 rows). psycopg
    prepares the statement after its first few uses."""
    connection.ensure_connection()
    with (
        connection.wrap_database_errors,
        psycopg.Cursor(connection.connection) as cursor,
    ):
        cursor.execute(statement, params)
        return {str(row[0]) for row in cursor.fetchall()}


def copy_chunks(rows: list[tuple[str | UUID, PendingChunk]], now: datetime) -> None:
    """Chunks as one binary COPY: the bytes go to the server as they are."""
    uuids: dict[str | UUID, UUID] = {}
    # The raw psycopg cursor bypasses Django's error mapping: map it here, so a bad row
    # is the DataError/IntegrityError the persister isolates.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(statements().copy) as copy,
    ):
        copy.set_types([pg_type for _, pg_type in CHUNK_COLUMNS])
        for job_id, c in rows:
            job_uuid = uuids.get(job_id)
            if job_uuid is None:
                job_uuid = uuids[job_id] = job_id if isinstance(job_id, UUID) else UUID(job_id)
            copy.write_row((job_uuid, c.seq, c.stream, c.offset, c.data, now, c.line))
