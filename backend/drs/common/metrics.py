"""Prometheus metrics shared by every DRS process (web, runners, scheduler).

prometheus-client runs in multiprocess mode: each process writes its values to small
mmap files in this node's directory and `/metrics` merges the files of every process.
The directory is `$DRS_METRICS_DIR/<node>` (default `$DRS_DATA_DIR/metrics/<hostname>`):
nodes that share a data dir (the web and worker containers of the compose file) each keep
their own files, and the scrape sums all nodes. Process ids are only meaningful inside a
node, so dead-process bookkeeping only ever touches the node's own directory.

settings.py exports PROMETHEUS_MULTIPROC_DIR before anything imports prometheus_client
(the library picks its value class once, at import); `_ensure_multiprocess` below covers
a process that imported the library earlier anyway.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector


def node_dir() -> Path:
    return Path(settings.DRS_METRICS_DIR) / settings.DRS_NODE_NAME


def _ensure_multiprocess() -> None:
    path = node_dir()
    path.mkdir(parents=True, exist_ok=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR") != str(path):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    if not getattr(values.ValueClass, "_multiprocess", False):
        values.ValueClass = values.get_value_class()


def _forget_own_pid() -> None:
    """A live-gauge file under this process's own pid was left by a dead process that had
    the same pid (a restarted container starts its pids anew): its values are not ours."""
    multiprocess.mark_process_dead(os.getpid(), str(node_dir()))


_ensure_multiprocess()
_forget_own_pid()
os.register_at_fork(after_in_child=_forget_own_pid)

# --- what runner processes update (imported by drs.runner) ------------------------------
JOBS_FOLLOWED = Gauge(
    "drs_jobs_followed",
    "Jobs that runner processes are following now.",
    multiprocess_mode="livesum",
)
LOG_BYTES = Counter("drs_log_bytes", "Log bytes persisted (both streams).")
LOG_CHUNKS = Counter("drs_log_chunks", "Log chunks persisted.")
PUBLISH_LAG = Histogram(
    "drs_publish_lag_seconds",
    "Seconds from a chunk's commit to its publication on the channel layer.",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PUBLISH_DROPPED = Counter(
    "drs_publish_dropped",
    "Committed chunks not published because the runner's publish backlog was full "
    "(websockets read them from the database instead).",
)
SSH_CONNECTIONS = Gauge(
    "drs_ssh_connections",
    "SSH connections open from runner processes.",
    multiprocess_mode="livesum",
)
SSH_ERRORS = Counter(
    "drs_ssh_errors",
    "SSH connection failures by server and kind (connect, auth, host_key).",
    ["server", "kind"],
)
# --- web processes ---------------------------------------------------------------------
WS_CLIENTS = Gauge(
    "drs_websocket_clients",
    "Websocket clients connected now.",
    multiprocess_mode="livesum",
)


_PID_FILE = re.compile(r"_(\d+)\.db$")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0) (containers whose PID 1 does not reap).
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def forget_dead_processes() -> list[int]:
    """Drop the live gauges of this node's dead processes (a killed runner's jobs and
    connections must not be counted for ever). Counters stay: their totals still count."""
    dead: set[int] = set()
    for name in glob.glob(str(node_dir() / "gauge_live*_*.db")):
        match = _PID_FILE.search(name)
        if match and not _pid_alive(pid := int(match.group(1))):
            dead.add(pid)
    for pid in dead:
        multiprocess.mark_process_dead(pid, str(node_dir()))
    return sorted(dead)


class _AllNodesCollector(Collector):
    """Merges the files of every node directory under DRS_METRICS_DIR."""

    def collect(self) -> Iterable[Metric]:
        files = glob.glob(str(Path(settings.DRS_METRICS_DIR) / "*" / "*.db"))
        return multiprocess.MultiProcessCollector.merge(files, accumulate=True)


class _DatabaseCollector(Collector):
    """Jobs by status and queue depth per server, read from the database at scrape time."""

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count

        from drs.jobs.choices import JobStatus
        from drs.jobs.models import Job

        by_status = GaugeMetricFamily("drs_jobs", "Jobs by status.", labels=["status"])
        counts = {
            row["status"]: row["n"]
            for row in Job.objects.order_by().values("status").annotate(n=Count("pk"))
        }
        for status in JobStatus.values:
            by_status.add_metric([status], counts.get(status, 0))
        yield by_status
        queued = GaugeMetricFamily(
            "drs_queue_depth", "Jobs waiting (queued) per server.", labels=["server"]
        )
        waiting = Job.objects.filter(status=JobStatus.QUEUED).order_by()
        for row in waiting.values("server__name").annotate(n=Count("pk")):
            queued.add_metric([str(row["server__name"])], row["n"])
        yield queued


def render() -> tuple[bytes, str]:
    """The text exposition of every process's metrics plus the database gauges."""
    from prometheus_client import CONTENT_TYPE_LATEST

    forget_dead_processes()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_AllNodesCollector())
    registry.register(_DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


# Every process that starts in a node clears what the node's dead processes left behind.
forget_dead_processes()
