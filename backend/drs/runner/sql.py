"""The SQL of drs.runner that only PostgreSQL runs: each function here has a portable ORM
counterpart in logsink.py (which SQLite runs); `postgresql()` chooses between them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

import psycopg
from django.db import connection

from drs.jobs.models import Job, LogChunk
from drs.jobs.sql import postgresql

if TYPE_CHECKING:
    from drs.runner.logsink import JobAdvance, PendingChunk

__all__ = ["persist_chunks", "postgresql"]


# The LogChunk fields persist_chunks writes, in the order of its SELECT.
CHUNK_FIELDS = ("job", "seq", "stream", "offset", "data", "time", "line")


def persist_chunks(
    owner: str,
    advances: list[JobAdvance],
    rows: list[tuple[str | UUID, PendingChunk]],
    now: datetime,
) -> set[str]:
    """logsink.store_chunks in one statement, guard included: run outside a transaction
    block it is a transaction of its own, one round trip where BEGIN, UPDATE, COPY and
    COMMIT took four (each a wake-up of the server process, a third of a quiet job's
    line latency). The UPDATE moves each job's row as one array per column, so the text
    is the same for any batch; only the chunks of jobs whose guard held are inserted."""
    job = connection.ops.quote_name(Job._meta.db_table)
    chunk = connection.ops.quote_name(LogChunk._meta.db_table)
    column = {f.name: f.column for f in LogChunk._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column[name]) for name in CHUNK_FIELDS)
    # Only the model's own table and column names are formatted in.
    statement = (
        "WITH moved AS ("  # noqa: S608  # nosec B608
        f"UPDATE {job} AS j SET last_seq = v.last_seq, line_count = v.lines, "
        "stdout_offset = COALESCE(v.out_end, j.stdout_offset), "
        "stderr_offset = COALESCE(v.err_end, j.stderr_offset), heartbeat_at = %(now)s "
        "FROM unnest(%(ids)b::uuid[], %(after)b::bigint[], %(last)b::bigint[], "
        "%(out)b::bigint[], %(err)b::bigint[], %(lines)b::bigint[]) "
        "AS v(id, after, last_seq, out_end, err_end, lines) "
        "WHERE j.id = v.id AND j.lease_owner = %(owner)s AND j.last_seq = v.after "
        "RETURNING j.id), "
        f"stored AS (INSERT INTO {chunk} ({columns}) "
        "SELECT c.job, c.seq, c.stream, c.off, c.data, %(now)s, c.line "
        "FROM unnest(%(c_job)b::uuid[], %(c_seq)b::bigint[], %(c_stream)b::varchar[], "
        "%(c_off)b::bigint[], %(c_data)b::bytea[], %(c_line)b::bigint[]) "
        "AS c(job, seq, stream, off, data, line) "
        "WHERE c.job IN (SELECT id FROM moved)) "
        "SELECT id FROM moved"
    )
    params = {
        "now": now,
        "owner": owner,
        "ids": [UUID(a.job_id) for a in advances],
        "after": [a.after for a in advances],
        "last": [a.last_seq for a in advances],
        "out": [a.stdout_end for a in advances],
        "err": [a.stderr_end for a in advances],
        "lines": [a.line_count for a in advances],
        "c_job": [job_id if isinstance(job_id, UUID) else UUID(job_id) for job_id, _ in rows],
        "c_seq": [c.seq for _, c in rows],
        "c_stream": [c.stream for _, c in rows],
        "c_off": [c.offset for _, c in rows],
        "c_data": [c.data for _, c in rows],
        "c_line": [c.line for _, c in rows],
    }
    connection.ensure_connection()
    # Django's cursors bind on the client; this one binds on the server and sends the
    # arrays in binary (`%b`): as text, every bytea is hex-escaped and every element
    # quoted (20 times the cost for 2 MiB of chunks). psycopg prepares the statement
    # after its first few uses.
    with (
        connection.wrap_database_errors,
        psycopg.Cursor(connection.connection) as cursor,
    ):
        cursor.execute(statement, params)
        return {str(row[0]) for row in cursor.fetchall()}
