"""Container health checks.

`web`: daphne's /api/health/ with the database and channel layer (a web container is
healthy when it can serve, whatever the workers do).

`worker`: `manage.py health --checks database,broker,node`. When the node check finds
this container's worker tree stalled (runner heartbeat stale while jobs wait) at two checks
in a row (exit code 3; a just restarted tree gets time to beat), it kills the tree: Docker restarts no unhealthy container by itself, but the worker's main
process dying ends the container and `restart: unless-stopped` starts it anew. PID 1 is
docker-init (`init: true`), which exits when its child dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

STALLED = 3


def web() -> int:
    port = os.environ.get("PORT", "8000")
    url = f"http://127.0.0.1:{port}/api/health/?checks=database,channel_layer"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"web health: {exc}", file=sys.stderr)
        return 1


def kill_worker_tree() -> None:
    """SIGKILL every process of the container but PID 1 and this check itself."""
    spared = {1, os.getpid(), os.getppid()}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in spared:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry), signal.SIGKILL)


def worker() -> int:
    command = [
        sys.executable, "/app/backend/manage.py", "health", "--checks", "database,broker,node",
        "--confirm-stall", "/tmp/drs-worker-stalled-since",  # noqa: S108 (the container's own /tmp)
    ]  # fmt: skip
    code = subprocess.run(command, check=False, timeout=30).returncode
    if code == STALLED:
        print("worker tree stalled: killing it so the container restarts", file=sys.stderr)
        kill_worker_tree()
    return 0 if code == 0 else 1


if __name__ == "__main__":
    role = sys.argv[1] if len(sys.argv) > 1 else "web"
    sys.exit({"web": web, "worker": worker}[role]())
