"""Cron expressions (5 fields, croniter) evaluated in an IANA timezone."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from croniter import croniter  # type: ignore[import-untyped]  # no stubs for 7.x


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def cron_error(expression: str) -> str | None:
    if len(expression.split()) != 5:
        return "Use 5 fields: minute hour day-of-month month day-of-week (e.g. '0 2 * * *')."
    if not croniter.is_valid(expression):
        return "Not a valid cron expression."
    return None


def timezone_error(name: str) -> str | None:
    if name not in _zones():
        return "Not an IANA timezone name (e.g. 'UTC', 'Europe/Paris', 'America/New_York')."
    return None


def next_runs(expression: str, zone: str, after: datetime, count: int = 1) -> list[datetime]:
    """The next COUNT ticks strictly after AFTER, in UTC."""
    it = croniter(expression, after.astimezone(ZoneInfo(zone)))
    return [it.get_next(datetime).astimezone(UTC) for _ in range(count)]
