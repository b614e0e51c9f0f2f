"""The SQL of drs.runner that only PostgreSQL runs: each function here has a portable ORM
counterpart in logsink.py (which SQLite runs); `postgresql()` chooses between them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import connection

from drs.jobs.models import Job, LogChunk
from drs.jobs.sql import postgresql

if TYPE_CHECKING:
    from drs.runner.logsink import JobAdvance, PendingChunk

__all__ = ["advance_jobs", "copy_chunks", "postgresql"]


def advance_jobs(owner: str, advances: list[JobAdvance], now: datetime) -> set[str]:
    """logsink.advance_jobs in one statement for the whole batch."""
    table = connection.ops.quote_name(Job._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the model's own table name is formatted in.
            f"UPDATE {table} AS j SET last_seq = v.last_seq, line_count = v.lines, "  # noqa: S608  # nosec B608
            "stdout_offset = COALESCE(v.out_end, j.stdout_offset), "
            "stderr_offset = COALESCE(v.err_end, j.stderr_offset), heartbeat_at = %s "
            "FROM unnest(%s::uuid[], %s::bigint[], %s::bigint[], %s::bigint[], "
            "%s::bigint[], %s::bigint[]) AS v(id, after, last_seq, out_end, err_end, lines) "
            "WHERE j.id = v.id AND j.lease_owner = %s AND j.last_seq = v.after "
            "RETURNING j.id",
            [
                now,
                [a.job_id for a in advances],
                [a.after for a in advances],
                [a.last_seq for a in advances],
                [a.stdout_end for a in advances],
                [a.stderr_end for a in advances],
                [a.line_count for a in advances],
                owner,
            ],
        )
        return {str(row[0]) for row in cursor.fetchall()}


# The LogChunk columns COPY writes, with their PostgreSQL types (binary COPY needs them).
COPY_COLUMNS = (
    ("job", "uuid"),
    ("seq", "int8"),
    ("stream", "varchar"),
    ("offset", "int8"),
    ("data", "bytea"),
    ("time", "timestamptz"),
    ("line", "int8"),
)


def copy_chunks(rows: list[tuple[str | UUID, PendingChunk]], now: datetime) -> None:
    """logsink.insert_chunks as one binary COPY."""
    quote = connection.ops.quote_name
    column = {f.name: f.column for f in LogChunk._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name, _ in COPY_COLUMNS)
    sql = f"COPY {quote(LogChunk._meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
    uuids: dict[str | UUID, UUID] = {}
    # The raw psycopg cursor bypasses Django's error mapping: map it here, so a bad row
    # is the DataError/IntegrityError the persister isolates.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        copy.set_types([pg_type for _, pg_type in COPY_COLUMNS])
        for job_id, c in rows:
            job_uuid = uuids.get(job_id)
            if job_uuid is None:
                job_uuid = uuids[job_id] = job_id if isinstance(job_id, UUID) else UUID(job_id)
            copy.write_row((job_uuid, c.seq, c.stream, c.offset, c.data, now, c.line))
