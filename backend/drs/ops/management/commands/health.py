"""`manage.py health`: the checks of `/api/health/` for scripts and container health checks.

Prints the JSON report and exits 0 when every chosen check passed, 1 otherwise, and 3 when
the `node` check found this node's worker tree stalled (its runners' heartbeat stale while
jobs wait): the one answer on which a supervisor restarts the tree (docker/healthcheck.py,
docker/systemd/drs-worker-watchdog.service).

`--confirm-stall FILE` asks for a stall seen twice, CONFIRM_SECONDS apart (the first
sighting is written to FILE): a tree that was just restarted has not beaten yet, and
must get the chance to before it is killed again.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand, CommandError, CommandParser

from drs.ops import health

STALLED = 3
CONFIRM_SECONDS = 15


class Command(BaseCommand):
    help = "Run the health checks (database, channel_layer, broker, workers); exit 1 on failure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checks",
            default="",
            help=f"comma-separated, of: {', '.join(health.CHECKS + health.EXTRA_CHECKS)} "
            f"(default: {', '.join(health.CHECKS)})",
        )
        parser.add_argument(
            "--confirm-stall",
            type=Path,
            metavar="FILE",
            help=f"exit 3 only for a stall that lasts {CONFIRM_SECONDS} s (state kept in FILE)",
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
        if self.stalled(report, options["confirm_stall"]):
            sys.exit(STALLED)
        if failed:
            sys.exit(1)

    def stalled(self, report: dict[str, Any], marker: Path | None) -> bool:
        if not report["checks"].get("node", {}).get("stalled"):
            if marker is not None:
                marker.unlink(missing_ok=True)
            return False
        if marker is None:
            return True
        try:
            first_seen = float(marker.read_text())
        except (OSError, ValueError):
            marker.write_text(str(time.time()))
            return False
        if time.time() - first_seen < CONFIRM_SECONDS:
            return False
        marker.unlink(missing_ok=True)
        return True
