"""Memory sampler in its own process, so reading /proc/*/smaps never stalls the bench's
event loop (which timestamps websocket arrivals).

    python bench/memsample.py ROOT_PID INTERVAL OUT   # one JSON line per sample, until killed
"""

from __future__ import annotations

import contextlib
import json
import sys
import time

import psutil


def sample(root_pid: int) -> dict[str, float]:
    rss = pss = uss = 0
    count = 0
    biggest: list[tuple[float, str]] = []
    try:
        root = psutil.Process(root_pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return {}
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.uss)
            uss += info.uss
            count += 1
            name = " ".join(proc.cmdline()[1:3])[:60]
            biggest.append((round(getattr(info, "pss", info.uss) / 2**20, 1), f"{proc.pid} {name}"))
    return {
        "top": sorted(biggest, reverse=True)[:3],
        "time": time.time(),
        "processes": count,
        "rss_mib": round(rss / 2**20, 1),
        "pss_mib": round(pss / 2**20, 1),
        "uss_mib": round(uss / 2**20, 1),
    }


def main() -> None:
    root_pid, interval, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    with open(out, "a") as fh:
        while True:
            fh.write(json.dumps(sample(root_pid)) + "\n")
            fh.flush()
            time.sleep(interval)


if __name__ == "__main__":
    main()
