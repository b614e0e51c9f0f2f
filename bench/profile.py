"""Optional profiling of the DRS processes while a measure runs (py-spy, if installed).

    BENCH_PYSPY=/tmp/prof .venv/bin/python bench/run.py --quick --only P2
    .venv/bin/python bench/profile.py /tmp/prof/P2-bytes.txt   # where the time goes

BENCH_PYSPY_RATE sets the samples per second (100; py-spy cannot keep up with much more
in its non-blocking mode). py-spy samples the whole `manage.py serve` tree (daphne,
runners, qcluster) from outside, so the code under test is unchanged. Output: collapsed stacks, one file per label."""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def profiling(env: Any, label: str) -> Iterator[None]:
    target = os.environ.get("BENCH_PYSPY")
    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not target or env.app is None or not Path(exe).exists():
        yield
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    out = Path(target) / f"{label}.txt"
    idle = ["--idle"] if os.environ.get("BENCH_PYSPY_IDLE") else []  # wall clock, not CPU
    # Only the thread holding the GIL: what the process's Python work costs, without the
    # time a thread spends waiting to get the GIL back after a syscall.
    idle += ["--gil"] if os.environ.get("BENCH_PYSPY_GIL") else []
    proc = subprocess.Popen(
        [exe, "record", "--pid", str(env.app.pid), "--subprocesses",
         "--rate", os.environ.get("BENCH_PYSPY_RATE", "100"),
         "--format", "raw", "--output", str(out), "--nonblocking", *idle],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def summarize(path: Path, top: int = 20) -> str:
    """Per process: CPU samples (100/s per busy thread), the heaviest leaf frames (self
    time), and the heaviest frames of DRS, asyncssh, channels and django (inclusive)."""
    inclusive: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    leaf: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    totals: collections.Counter[str] = collections.Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        procs = [f for f in frames if f.startswith("process ")]
        code = [f for f in frames if not f.startswith("process ")]
        if not code or not procs or not count.isdigit():
            continue  # py-spy's own notices end up in the file too
        proc = procs[-1].split(":", 1)[0] + (" daphne" if "daphne" in procs[-1] else "")
        n = int(count)
        totals[proc] += n
        names = [f.split(" (")[0] + " " + f.split(" (")[-1].rstrip(")") for f in code]
        leaf[proc][names[-1]] += n
        for name in set(names):
            if any(k in name for k in ("drs/", "asyncssh/", "channels", "django/db", "psycopg")):
                inclusive[proc][name] += n
    lines = []
    for proc, total in totals.most_common(6):
        lines.append(f"== {proc}: {total} samples")
        lines.append("  self:")
        lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in leaf[proc].most_common(top)]
        lines.append("  inclusive:")
        lines += [
            f"  {100 * n / total:5.1f}%  {name}" for name, n in inclusive[proc].most_common(top)
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(summarize(Path(arg)))
