from __future__ import annotations

from datetime import UTC, datetime


def iso_time(value: datetime) -> str:
    """ISO 8601 in UTC, always with microseconds and `Z`: log chunk times read the same in
    REST pages (PostgreSQL formats them alike: jobs.sql.PAGE_SQL) and websocket
    frames, live or backfilled."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
