"""Container health checks: `web` asks daphne's /api/health/ (database and channel layer:
a web container is healthy when it can serve, whatever the workers do); `worker` runs
`manage.py health --checks database,broker,workers` (fresh runner heartbeat)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request


def web() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/api/health/?checks=database,channel_layer"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"web health: {exc}", file=sys.stderr)
        return 1


def worker() -> int:
    checks = "database,broker,workers"
    command = [sys.executable, "/app/backend/manage.py", "health", "--checks", checks]
    return subprocess.run(command, check=False, timeout=30).returncode


if __name__ == "__main__":
    role = sys.argv[1] if len(sys.argv) > 1 else "web"
    sys.exit({"web": web, "worker": worker}[role]())
