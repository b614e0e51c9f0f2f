"""The `/metrics` exposition: every node's process files merged, plus gauges read from the
database at scrape time. The instruments themselves live in drs/common/metrics.py."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from drs.common.metrics import forget_dead_processes
from drs.jobs.choices import JobStatus
from drs.jobs.models import Job


class _AllNodesCollector(Collector):
    """Merges the files of every node directory under DRS_METRICS_DIR."""

    def collect(self) -> Iterable[Metric]:
        files = glob.glob(str(Path(settings.DRS_METRICS_DIR) / "*" / "*.db"))
        return multiprocess.MultiProcessCollector.merge(files, accumulate=True)


class _DatabaseCollector(Collector):
    """Jobs by status and queue depth per server, read from the database at scrape time."""

    def collect(self) -> Iterator[Metric]:
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
    forget_dead_processes()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_AllNodesCollector())
    registry.register(_DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
