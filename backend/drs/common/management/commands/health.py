"""`manage.py health`: the checks of `/api/health/` for scripts and container health checks.

Prints the JSON report and exits 0 when every chosen check passed, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand, CommandError, CommandParser

from drs.common import health


class Command(BaseCommand):
    help = "Run the health checks (database, channel_layer, broker, workers); exit 1 on failure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checks",
            default="",
            help=f"comma-separated subset of: {', '.join(health.CHECKS)} (default: all)",
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
        if failed:
            sys.exit(1)
