"""The job list's rows without a serializer per row.

`JobSummarySerializer` documents the row and still serializes single jobs (`/ws/jobs/`
events); for a page of the list it cost most of the request (DRF resolves every field
of every row through several layers). Here one `values()` query reads the same fields
and a plain loop shapes them; tests/api/test_jobs.py checks both give the same JSON.
Plain model fields listed in the serializer are picked up by name; a computed field
added there must be added to COMPUTED too (the test fails until it is).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from drs.jobs.models import Job
from drs.jobs.serializers import JobSummarySerializer

# Serializer field -> expression, for fields that are not a column of the job itself.
RELATED = {
    "owner": F("owner__username"),
    "server_name": F("server__name"),
    "interpreter_name": F("interpreter__name"),
}
COMPUTED = {"duration_seconds", "cancel_requested"}
# Read for the computed fields; dropped from the output.
HELPERS = ("cancel_requested_at",)


def summary_values(jobs: QuerySet[Job]) -> QuerySet[Job, dict[str, Any]]:
    fields = JobSummarySerializer.Meta.fields
    columns = [name for name in fields if name not in RELATED and name not in COMPUTED]
    related = {f"_{name}": RELATED[name] for name in fields if name in RELATED}
    # `created_at` and `pk` are what the keyset paginator reads from each row.
    return jobs.values(*columns, *HELPERS, **related)


def summary_row(row: dict[str, Any]) -> dict[str, Any]:
    started, finished = row["started_at"], row["finished_at"]
    values = {
        **{name: row[f"_{name}"] for name in RELATED},
        "duration_seconds": (finished - started).total_seconds()
        if started is not None and finished is not None
        else None,
        "cancel_requested": row["cancel_requested_at"] is not None,
    }
    return {name: values[name] if name in values else row[name] for name in FIELDS}


FIELDS = tuple(JobSummarySerializer.Meta.fields)
