"""The remote programs the benchmarks run (python3 -u on the bench sshd). Each first prints
`T0 <time_ns>`: its own start time, on the same clock as the bench (same machine)."""

from __future__ import annotations

# argv: go file, duration (s), rate (lines/s). Waits (at most 10 min) for the bench to
# write the go file holding the epoch second when printing begins: so every job is running
# and every websocket connected before the first line. It looks for the file every 0.1 s
# (a thousand programs looking every 20 ms would cost the machine most of a core). Lines `L <i> <time_ns> <pad>` carry
# the time they were written.
TICKER = """\
import os, sys, time
go, duration, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
out = sys.stdout
out.write("T0 %d\\n" % time.time_ns()); out.flush()
give_up = time.time() + 600
while not os.path.exists(go) and time.time() < give_up:
    time.sleep(0.1)
try:
    start_at = float(open(go).read())
except (OSError, ValueError):
    sys.exit(3)
base = max(start_at, time.time())
pad = "x" * 40
for i in range(int(duration * rate)):
    wait = base + i / rate - time.time()
    if wait > 0:
        time.sleep(wait)
    out.write("L %d %d %s\\n" % (i, time.time_ns(), pad)); out.flush()
# Linger before exiting: the bench host is also the jobs' host, and a thousand interpreters
# exiting at once on its two cores delayed the last line of every job by the scheduler,
# not by DRS (docs/performance.md).
time.sleep(3)
"""

# argv: total bytes. 1 MiB writes of printable 100-byte lines.
BULK = """\
import sys, time
total = int(sys.argv[1])
out = sys.stdout.buffer
out.write(b"T0 %d\\n" % time.time_ns()); out.flush()
line = b"%099d\\n" % 0
block = line * (1024 * 1024 // len(line))
left = total
while left > 0:
    piece = block[:left]
    out.write(piece)
    left -= len(piece)
out.flush()
"""

# argv: number of lines. Short lines (`<7 digits>\\n`, 8 bytes), written in batches.
LINES = """\
import sys, time
n = int(sys.argv[1])
out = sys.stdout.buffer
out.write(b"T0 %d\\n" % time.time_ns()); out.flush()
batch = 65536
for start in range(0, n, batch):
    out.write(b"".join(b"%07d\\n" % i for i in range(start, min(n, start + batch))))
out.flush()
"""

# argv: seconds. Prints its T0 line, then nothing: an idle job to follow.
IDLE = """\
import sys, time
print("T0 %d" % time.time_ns(), flush=True)
time.sleep(float(sys.argv[1]))
"""

# Start-time probe for P3.
START = """\
import time
print("T0 %d" % time.time_ns())
"""


def bulk_expected(total: int) -> int:
    """Bytes BULK writes after its T0 line."""
    return total


def lines_expected(n: int) -> int:
    return 8 * n
