"""`manage.py notifier`: the node's webhook sender and schedule clock, one asyncio loop.

Started by `manage.py workers` beside the runners and django-q2. It wakes every second:
django-q2's own scheduler wakes only every 30 s, too late for a first retry within 15 s
or a `* * * * *` schedule's job within its minute."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from drs.notifications.sender import POLL_SECONDS, Sender, db
from drs.schedules import clock

log = logging.getLogger("drs.notifications")


class Command(BaseCommand):
    help = "Send webhook deliveries and create the jobs of due schedules."

    def handle(self, *args: Any, **options: Any) -> None:
        asyncio.run(self.main())

    async def main(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        sender = Sender()
        log.info("notifier %d ready", os.getpid())
        try:
            while not stop.is_set():
                try:
                    await db(clock.run_due)
                    await sender.tick()
                except DatabaseError:
                    log.warning("notifier: database error; retrying", exc_info=True)
                    await db(close_old_connections)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), POLL_SECONDS)
        finally:
            await sender.close()
