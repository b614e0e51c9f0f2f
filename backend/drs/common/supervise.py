"""Process-tree helpers for supervisors (`manage.py serve`, `workers`, `tasks`): find and
kill every process below this one. When a tree is stalled: drs/runner/stallwatch.py."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`, children before grandchildren (read from /proc);
    zombies (ended, not yet reaped) are left out."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The command name (field 2) may hold spaces and parentheses: split after it.
            state, ppid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
            if state != "Z":
                parents.setdefault(int(ppid), []).append(int(entry.name))
    found: list[int] = []
    queue = [pid]
    while queue:
        children = parents.get(queue.pop(0), [])
        found.extend(children)
        queue.extend(children)
    return found


def kill_descendants() -> list[int]:
    """SIGKILL every process below this one (a stopped process dies too)."""
    killed = []
    for pid in descendants(os.getpid()):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
    return killed
