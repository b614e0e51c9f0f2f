"""Memory sampler in its own process, so reading /proc/*/smaps never stalls the bench's
event loop (which timestamps websocket arrivals).

    python bench/memsample.py ROOT_PID INTERVAL OUT   # one JSON line per sample, until killed
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any

import psutil


def memory_of(procs: list[psutil.Process]) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """Totals in MiB over these processes, and (PSS MiB, "pid command") for each. RSS counts
    pages shared by the forked workers once per process (so its sum overstates); PSS splits
    shared pages among their users (its sum is the real total); USS is what each alone costs."""
    rss = pss = uss = 0
    count = 0
    each: list[tuple[float, str]] = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.uss)
            uss += info.uss
            count += 1
            name = " ".join(proc.cmdline()[1:3])[:60]
            each.append((round(getattr(info, "pss", info.uss) / 2**20, 1), f"{proc.pid} {name}"))
    totals = {
        "processes": count,
        "rss_mib": round(rss / 2**20, 1),
        "pss_mib": round(pss / 2**20, 1),
        "uss_mib": round(uss / 2**20, 1),
    }
    return totals, each


def sample(root_pid: int) -> dict[str, Any]:
    try:
        root = psutil.Process(root_pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return {}
    totals, each = memory_of(procs)
    return {"top": sorted(each, reverse=True)[:3], "time": time.time(), **totals}


def main() -> None:
    root_pid, interval, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    with open(out, "a") as fh:
        while True:
            fh.write(json.dumps(sample(root_pid)) + "\n")
            fh.flush()
            time.sleep(interval)


if __name__ == "__main__":
    main()
