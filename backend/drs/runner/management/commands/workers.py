"""`manage.py workers`: the node's worker tree, supervised.

- DRS_WORKERS runner processes (`manage.py runner`), each following many jobs;
- one django-q2 cluster (`manage.py tasks`: `qcluster` with a bounded stop) for short and
  scheduled tasks;
- one notifier (`manage.py notifier`): webhook deliveries and the schedule clock.

A child that dies is started again; when a runner dies, its leases are released at once
(they carry its pid) and its jobs dispatched, so another runner reattaches within
seconds instead of waiting for the leases to expire."""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connections

from drs.common.commands import manage_command
from drs.common.supervise import kill_descendants
from drs.jobs import dispatch
from drs.runner import lease
from drs.runner.stallwatch import StallWatch

log = logging.getLogger("drs.workers")

RESTART_DELAYS = (0.5, 1, 2, 5, 10, 30)
# How long a stop waits for the children (each bounds its own: runners 8 s, tasks 8 s)
# before it kills the whole tree below: within `serve`'s own bound (common/serve.py).
STOP_SECONDS = 10.0
# How often the supervisor looks at its children: a dead runner is restarted and its
# leases handed over within about this (a shorter one only costs idle CPU).
POLL_SECONDS = 1.0


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    crashes: int = 0
    restart_at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        # Same process group as the supervisor: killing the node's group (a power-cut
        # test, a service manager) takes every runner with it, never leaving one behind
        # that still holds leases.
        self.proc = subprocess.Popen(self.argv)
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def exited(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None


class Command(BaseCommand):
    help = "Run the node's runner processes and task scheduler, restarting any that die."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runners", type=int, default=settings.DRS_WORKERS)
        parser.add_argument("--no-scheduler", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        children = [
            Child(f"runner-{i + 1}", manage_command("runner")) for i in range(options["runners"])
        ]
        if not options["no_scheduler"]:
            children.append(Child("scheduler", manage_command("tasks")))
            children.append(Child("notifier", manage_command("notifier")))
        for child in children:
            child.start()
        log.info("workers: %s", ", ".join(f"{c.name} (pid {c.pid})" for c in children))
        watch = StallWatch()
        while not self.stopping:
            for child in children:
                self.supervise(child)
            if reason := watch.stalled():
                self.restart_stalled(children, reason)
                watch.restarted()
            time.sleep(POLL_SECONDS)
        self.stop_all(children)

    def _stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def supervise(self, child: Child) -> None:
        now = time.monotonic()
        if child.proc is None:
            if now >= child.restart_at:
                child.start()
                log.info("workers: %s started again (pid %s)", child.name, child.pid)
            return
        if not child.exited():
            if now - child.started_at > 60:
                child.crashes = 0
            return
        code = child.proc.returncode
        log.warning("workers: %s (pid %s) exited with %s", child.name, child.pid, code)
        if child.name.startswith("runner"):
            self.hand_over(child.proc.pid)
        child.proc = None
        child.restart_at = now + RESTART_DELAYS[min(child.crashes, len(RESTART_DELAYS) - 1)]
        child.crashes += 1

    def restart_stalled(self, children: list[Child], reason: str) -> None:
        """The whole tree is stuck, not dead (drs.runner.stallwatch): kill every process
        below this one, hand the runners' jobs over and start everything again."""
        log.error("workers: %s; restarting the whole tree", reason)
        kill_descendants()
        for child in children:
            if child.proc is not None:
                child.proc.wait()
                if child.name.startswith("runner"):
                    self.hand_over(child.proc.pid)
                child.proc = None
            child.restart_at = 0.0
            child.crashes = 0

    def hand_over(self, pid: int) -> None:
        """A dead runner's jobs go to the live ones now (the reaper would take a lease
        period)."""
        try:
            ids = lease.release_all(lease.owner_prefix(pid), prefix=True)
        except DatabaseError:
            log.warning("workers: could not release the leases of pid %s", pid, exc_info=True)
            connections.close_all()
            return
        if ids:
            log.info("workers: handing %d job(s) of pid %s to other runners", len(ids), pid)
            dispatch.dispatch(ids)

    def stop_all(self, children: list[Child]) -> None:
        # Only the cluster's main process gets SIGTERM from here (it stops its own parts);
        # runners release their leases on TERM. When the whole group was signalled, they
        # have it already: a second TERM changes nothing for either.
        for child in children:
            if child.proc is not None and child.proc.poll() is None:
                child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            if child.proc is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Whatever is still below (a stuck child, a grandchild its parent left) dies now,
        # before this process exits and its orphans would leave the tree unseen.
        if killed := kill_descendants():
            log.warning(
                "workers: killed %d process(es) still running after %.0f s",
                len(killed),
                STOP_SECONDS,
            )
        for child in children:
            if child.proc is not None:
                child.proc.wait()
