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


# P4's large levels: the same ticker in bash, as a Python interpreter per job (~8 MiB
# each) does not fit thousands of jobs on the bench's own host. No fork per line:
# $EPOCHREALTIME (bash 5) is the time in microseconds, and `read -t` on a pipe that
# nobody writes (the shell holds both ends, so it never sees EOF) is a sleep without a
# `sleep` process. argv: go file, lines, interval (µs). Waits for the go file like
# TICKER, looking every 0.5 s (thousands of shells waking ten times a second would cost
# the host a good part of a core before the first line).
SH_TICKER = """\
go=$1 count=$2 interval=$3
echo "T0 ${EPOCHREALTIME/[.,]/}000"
exec 3<> <(:)
tries=0
while [ ! -e "$go" ] && [ $tries -lt 1200 ]; do
  read -r -t 0.5 -u 3
  tries=$((tries + 1))
done
read -r start < "$go"
start=${start/[.,]/}
[ -n "$start" ] || exit 3
now=${EPOCHREALTIME/[.,]/}
base=$(( start > now ? start : now ))
pad=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
i=0
while [ $i -lt "$count" ]; do
  now=${EPOCHREALTIME/[.,]/}
  wait=$(( base + i * interval - now ))
  if [ $wait -gt 0 ]; then
    printf -v pause '%d.%06d' $(( wait / 1000000 )) $(( wait % 1000000 ))
    read -r -t "$pause" -u 3
    now=${EPOCHREALTIME/[.,]/}
  fi
  echo "L $i ${now}000 $pad"
  i=$((i + 1))
done
read -r -t 3 -u 3
exit 0
"""

# argv: seconds. IDLE in bash: its T0 line, then a `sleep` in its place.
SH_IDLE = """\
echo "T0 ${EPOCHREALTIME/[.,]/}000"
exec sleep "$1"
"""

SHELL = "/bin/bash"


def sh_ticker_args(go: str, duration: float, rate: float) -> list[str]:
    """SH_TICKER's argv for TICKER's (go file, duration, rate): bash has integers only."""
    return [go, str(int(duration * rate)), str(round(1_000_000 / rate))]
