"""Whole-tree restarts for a stalled worker node (used by `manage.py workers`).

A child that dies is easy: its parent sees it exit and starts it again. A tree that is
alive but stuck (every runner blocked, stopped, or starved) exits nothing; what shows it
is the runners' heartbeat: stale on this node while jobs wait (`heartbeat.node_stall`).
Then the only sure cure is to kill the whole tree and start it anew, as an operator would.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import close_old_connections

from drs.runner import heartbeat

log = logging.getLogger("drs.workers")


# How long a fresh runner may take to start (Django, imports) and beat for the first time.
STARTUP_SECONDS = 30.0


class StallWatch:
    """Asks every `interval` seconds whether this node's tree is stalled. A tree (re)started
    less than `grace` seconds ago is never stalled: its runners may not have beaten yet,
    and a restart then would only start the same wait again."""

    def __init__(self, *, interval: float = 10.0, grace: float | None = None) -> None:
        self.interval = interval
        self.grace = (
            settings.DRS_HEALTH_HEARTBEAT_MAX_AGE + STARTUP_SECONDS if grace is None else grace
        )
        self.started = time.monotonic()
        self.next_check = self.started + interval

    def restarted(self) -> None:
        self.started = time.monotonic()

    def stalled(self) -> str | None:
        """A reason when the tree must be restarted now, else None."""
        now = time.monotonic()
        if now < self.next_check:
            return None
        self.next_check = now + self.interval
        if now - self.started < self.grace:
            return None
        try:
            result = heartbeat.node_stall()
        except Exception:  # no database, no verdict: a restart would not help
            log.warning("workers: stall check failed", exc_info=True)
            return None
        finally:
            close_old_connections()
        return str(result.get("error")) if result.get("stalled") else None
