"""`manage.py health`: the checks of `/api/health/` for scripts and container health checks.

Prints the JSON report and exits 0 when every chosen check passed, 1 otherwise, and 3 when
the `node` check found this node's worker tree stalled (its runners' heartbeat stale while
jobs wait): the one answer on which a supervisor restarts the tree (docker/healthcheck.py,
docker/systemd/drs-worker-watchdog.service).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand, CommandError, CommandParser

from drs.common import health

STALLED = 3


class Command(BaseCommand):
    help = "Run the health checks (database, channel_layer, broker, workers); exit 1 on failure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checks",
            default="",
            help=f"comma-separated, of: {', '.join(health.CHECKS + health.EXTRA_CHECKS)} "
            f"(default: {', '.join(health.CHECKS)})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            names = health.parse_names(options["checks"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        report = async_to_sync(health.arun_checks)(names)
        failed = [name for name, result in report["checks"].items() if not result["ok"]]
        body = {"status": "ok" if report["ok"] else "fail", "failed": failed, **report}
        self.stdout.write(json.dumps(body))
        if report["checks"].get("node", {}).get("stalled"):
            sys.exit(STALLED)
        if failed:
            sys.exit(1)
