"""`manage.py runner`: one runner process (one asyncio loop, many jobs)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand

from drs.runner.process import Runner

log = logging.getLogger("drs.runner")


class Command(BaseCommand):
    help = "Run jobs: take them from the dispatch queue and follow them until they end."

    def handle(self, *args: Any, **options: Any) -> None:
        asyncio.run(self.serve())

    async def serve(self) -> None:
        runner = Runner()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        runner.start()
        log.info("runner %s ready", runner.owner)
        await stop.wait()
        log.info("runner %s stopping: releasing %d job(s)", runner.owner, len(runner.runs))
        await runner.close(release=True)
