"""`manage.py runner`: one runner process (one asyncio loop, many jobs)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from typing import Any

from django.core.management.base import BaseCommand

from drs.runner.process import Runner

log = logging.getLogger("drs.runner")
CLOSE_SECONDS = 8  # within the supervisor's stop (workers.STOP_SECONDS)


class Command(BaseCommand):
    help = "Run jobs: take them from the dispatch queue and follow them until they end."

    def handle(self, *args: Any, **options: Any) -> None:
        asyncio.run(self.serve())
        # A database call still blocked in its thread (a database that went away) must not
        # keep a stopped runner alive at interpreter exit: the leases are released already,
        # or will expire.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    async def serve(self) -> None:
        runner = Runner()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_signal(sig: signal.Signals) -> None:
            # A second Ctrl-C stops now. Not a second SIGTERM: after a signal to the whole
            # group, the supervisor forwards one too, and the leases must still be released.
            if stop.is_set() and sig == signal.SIGINT:
                os._exit(1)
            stop.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, on_signal, sig)
        runner.start()
        log.info("runner %s ready", runner.owner)
        await stop.wait()
        log.info("runner %s stopping: releasing %d job(s)", runner.owner, len(runner.runs))
        try:
            await asyncio.wait_for(runner.close(release=True), CLOSE_SECONDS)
        except TimeoutError:
            log.warning(
                "runner %s: stop took over %d s; exiting anyway", runner.owner, CLOSE_SECONDS
            )
