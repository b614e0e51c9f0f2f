"""Metric points: the job's DRS_METRICS file (JSON Lines, each an object of numbers) in,
durable MetricPoints out.

The transport follows the file as a third stream. `MetricSink` holds its unpersisted
bytes and parses complete lines when the persister flushes; the persister writes the
points in the same transaction as the job's log chunks (`persist_points`), guarded by
the lease and the file offset already stored, so a runner that dies and another that
resumes from the stored offset lose and repeat no point. Invalid lines are skipped and
counted; past DRS_MAX_METRIC_POINTS points are no longer stored (the job's `progress` and
`metrics_last` still follow) and the job says so in `metrics_note`."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import F

from drs.jobs.models import Job, MetricPoint
from drs.realtime.broadcast import (
    Message,
    asend_messages,
    job_logs_group,
    metric_event,
    progress_messages,
)

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 64 * 1024  # a longer line is invalid (and never held in memory whole)
PROGRESS_EVERY_SECONDS = 0.25  # `/ws/jobs/` hears a job's progress at most this often


def parse_point(line: bytes) -> dict[str, float] | None:
    """The values of one line, or None when it is not a non-empty object of finite
    numbers (booleans are not numbers here; NaN and Infinity are refused: JSON has none)."""
    try:
        values = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(values, dict) or not values:
        return None
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, int) and abs(value) > 2**53:
            values[key] = float(value)
    return values


@dataclass
class MetricBatch:
    """What one flush moves a job's metrics to."""

    start: int  # the stored offset (the guard)
    end: int
    points: list[tuple[int, dict[str, float]]]
    invalid: int  # lines skipped in this batch
    refused: int  # valid lines not stored (over the bound)
    last: dict[str, float] | None  # the last valid line's values
    progress: float | None
    skipping: bool  # the batch ends inside an overlong line


@dataclass
class MetricSink:
    job_id: str | UUID
    owner_id: int
    offset: int  # bytes of the file persisted (stored, skipped or refused)
    count: int  # the last stored point's n
    buffer: bytearray = field(default_factory=bytearray)
    skipping: bool = False  # inside an overlong line: drop bytes up to its newline
    progress_sent_at: float = 0.0

    @property
    def read_offset(self) -> int:
        return self.offset + len(self.buffer)

    @property
    def pending(self) -> int:
        return len(self.buffer)

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def take(self, *, final: bool = False) -> MetricBatch | None:
        """The complete lines buffered (and the tail too once the job has ended)."""
        buf = self.buffer
        end = len(buf) if final else buf.rfind(b"\n") + 1
        if end == 0 and len(buf) > MAX_LINE_BYTES:
            end = len(buf)  # an overlong line without its newline yet: drop what came
        if end == 0:
            return None
        limit = settings.DRS_MAX_METRIC_POINTS
        n, invalid, refused = self.count, 0, 0
        points: list[tuple[int, dict[str, float]]] = []
        last: dict[str, float] | None = None
        skipping = self.skipping
        lines = bytes(buf[:end]).split(b"\n")
        complete = buf[end - 1 : end] == b"\n"
        for index, line in enumerate(lines):
            ends_here = index < len(lines) - 1 or complete
            if skipping:
                skipping = not ends_here
                continue
            if not ends_here and not final:
                invalid += 1  # an overlong tail: count it once, drop it until its newline
                skipping = True
                continue
            if not line.strip():
                continue
            values = parse_point(line) if len(line) <= MAX_LINE_BYTES else None
            if values is None:
                invalid += 1
                continue
            last = values
            if n < limit:
                n += 1
                points.append((n, values))
            else:
                refused += 1
        progress = None
        if last is not None and "progress" in last:
            progress = min(1.0, max(0.0, float(last["progress"])))
        return MetricBatch(
            self.offset, self.offset + end, points, invalid, refused, last, progress, skipping
        )

    def commit(self, batch: MetricBatch) -> None:
        del self.buffer[: batch.end - batch.start]
        self.offset = batch.end
        self.skipping = batch.skipping
        if batch.points:
            self.count = batch.points[-1][0]


def refused_note(limit: int) -> str:
    return (
        f"Metric points after the first {limit} were not stored (DRS_MAX_METRIC_POINTS); "
        "progress and the last values still follow the job."
    )


def persist_points(
    owner: str, batches: list[tuple[str | UUID, MetricBatch]], now: datetime
) -> set[str]:
    """Inside the persister's transaction: each job's metric state moves on, guarded by
    its lease and the stored offset, and its points are inserted. The jobs whose guard
    failed (another runner holds them now) are returned; they wrote nothing."""
    lost: set[str] = set()
    rows: list[MetricPoint] = []
    for job_id, b in batches:
        updates: dict[str, Any] = {
            "metrics_offset": b.end,
            "metrics_invalid": F("metrics_invalid") + b.invalid,
        }
        if b.points:
            updates["metric_count"] = b.points[-1][0]
        if b.last is not None:
            updates["metrics_last"] = b.last
        if b.progress is not None:
            updates["progress"] = b.progress
        if b.refused:
            updates["metrics_note"] = refused_note(settings.DRS_MAX_METRIC_POINTS)
        moved = Job.objects.filter(pk=job_id, lease_owner=owner, metrics_offset=b.start).update(
            **updates
        )
        if not moved:
            lost.add(str(job_id))
            continue
        rows += [MetricPoint(job_id=job_id, n=n, time=now, values=v) for n, v in b.points]
    MetricPoint.objects.bulk_create(rows, batch_size=1000)
    return lost


class MetricPublisher:
    """Publishes committed points (and throttled progress) in order, from one task: a
    flush only queues them, so a slow channel layer never holds up the next flush."""

    def __init__(
        self, publish: Callable[[list[Message]], Awaitable[None]] = asend_messages
    ) -> None:
        self.publish = publish
        self.queue: asyncio.Queue[list[Message]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    def committed(
        self, sink: MetricSink, batch: MetricBatch, when: datetime, *, final: bool
    ) -> None:
        group = job_logs_group(sink.job_id)
        events: list[Message] = []
        if batch.points:
            events.append((group, metric_event(points=batch.points, time=when)))
        now = time.monotonic()
        if batch.progress is not None and (
            final or now - sink.progress_sent_at >= PROGRESS_EVERY_SECONDS
        ):
            sink.progress_sent_at = now
            events += progress_messages(sink.owner_id, sink.job_id, batch.progress)
        if not events:
            return
        if self.task is None:
            self.task = asyncio.create_task(self._run(), name="drs-metric-publisher")
        self.queue.put_nowait(events)

    async def _run(self) -> None:
        while True:
            events = await self.queue.get()
            while not self.queue.empty() and len(events) < 1024:
                events += self.queue.get_nowait()
            try:
                await self.publish(events)
            except Exception:
                # Readers backfill from the database: a failed send loses nothing stored.
                log.warning("publishing metric points failed", exc_info=True)

    async def close(self) -> None:
        if self.task is None:
            return
        for _ in range(200):  # let what is queued go out (briefly)
            if self.queue.empty():
                break
            await asyncio.sleep(0.01)
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        self.task = None
