"""`manage.py tasks`: django-q2's cluster (what `manage.py qcluster` runs) for short and
scheduled tasks, with a stop that cannot hang.

`qcluster` stops from inside its SIGTERM handler, by setting a multiprocessing Event that
its sentinel process waits on. When the whole process group gets SIGTERM (`kill -- -PGID`,
a service manager), the sentinel dies at once, and `Event.set()` then waits for ever for the dead waiter to wake (multiprocessing's
`Condition.notify_all`): the main process hung in its handler, orphaned once its parent
gave up. Here a signal only sets a flag; the stop runs in a thread, bounded, and whatever
is left of the cluster after it is killed."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from multiprocessing.connection import wait
from typing import Any

from django.core.management.base import BaseCommand
from django_q.cluster import Cluster

from drs.common.supervise import kill_descendants

log = logging.getLogger("drs.workers")

# A clean stop waits for the running task (short by design here) and the monitor.
STOP_SECONDS = 8.0


class Command(BaseCommand):
    help = "Run django-q2's cluster for short and scheduled tasks (a bounded stop)."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        cluster = Cluster()  # installs qcluster's handlers: replaced below

        def on_signal(signum: int, frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        code = 0
        try:
            cluster.start()
        except RuntimeError as exc:  # its sentinel died while starting
            if not stop.is_set():
                log.error("tasks: %s", exc)
                code = 1
        while code == 0 and not stop.wait(1.0):
            if not cluster.sentinel.is_alive():
                log.error("tasks: the cluster's sentinel died; exiting to be restarted")
                code = 1
        stopper = threading.Thread(target=cluster.stop, name="drs-tasks-stop", daemon=True)
        stopper.start()
        # The sentinel ends once it stopped its parts, or at once when the group's signal
        # reached it too (then the stop thread may hang in `set()`: not waited for).
        wait([cluster.sentinel.sentinel], STOP_SECONDS)
        if kill_descendants():
            log.warning("tasks: the cluster did not stop in %.0f s; killed", STOP_SECONDS)
        # Not a normal exit: multiprocessing's exit handler would wait on the sentinel's
        # Event again, and the stop thread may still hold it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
