"""The log sink: bytes in (from any transport), durable LogChunks out.

`LogSink` batches one job's streams and cuts chunks only on UTF-8 boundaries. The
process's one `Persister` commits the chunks of ALL its jobs in a single transaction per
flush (each job's row guarded by its lease and last_seq), and only then publishes them.
Transports keep reading while a flush is in the database thread. Nothing here knows
about SSH."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone

from drs.common import metrics
from drs.jobs.choices import Stream
from drs.jobs.models import Job, LogChunk
from drs.realtime.broadcast import apublish_log_events, log_event
from drs.runner import sql
from drs.runner.metricsink import MetricBatch, MetricPublisher, MetricSink, persist_points

log = logging.getLogger(__name__)

FLUSH_BYTES = 64 * 1024  # the largest chunk
# Flushes start at most this often: steady output (a job writing every millisecond, a
# hundred jobs printing in step) is committed in batches rather than a commit per line,
# while output that arrives after a pause is flushed at once.
FLUSH_INTERVAL_SECONDS = 0.01
DB_RETRY_SECONDS = 1.0
PUBLISHERS = 8  # channel-layer sends in flight per runner process
PUBLISH_BATCH = 256  # chunks per send at most (and about FLUSH_BYTES * 4)
# Bytes waiting per publisher before the oldest chunks are dropped: a flood persists
# faster than it publishes, and a queue without bound held the whole backlog in memory.
# Readers lose nothing: a websocket fills a gap from the database when the next live
# chunk arrives, a second later for a job printing a line a second, so the bound is in
# bytes, not chunks (64 chunks dropped the lines of 1,000 small jobs flushed together).
PUBLISH_BACKLOG_BYTES = 4 << 20
STREAMS = (Stream.STDOUT, Stream.STDERR)

Db = Callable[..., Awaitable[Any]]


class LeaseLost(Exception):
    """Another runner owns the job now: stop without writing anything."""


def utf8_cut(data: bytes | bytearray, limit: int) -> int:
    """The largest cut point <= limit that does not split a UTF-8 sequence. Invalid bytes
    are not sequences, so they never hold a cut back more than 3 bytes."""
    n = min(limit, len(data))
    for i in range(n - 1, max(n - 4, -1), -1):
        byte = data[i]
        if byte < 0x80:
            return n
        if 0xC2 <= byte <= 0xF4:
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return i if i + length > n else n
        if byte >= 0xC0:  # never valid in UTF-8: not part of a sequence
            return n
    return n


@dataclass
class PendingChunk:
    seq: int
    stream: str
    offset: int
    data: bytes
    line: int = 0

    def fields(self) -> dict[str, Any]:
        """As LogChunk and broadcast.log_event name them (all but the time)."""
        return {
            "seq": self.seq, "stream": self.stream, "offset": self.offset,
            "data": self.data, "line": self.line,
        }  # fmt: skip


class Pieces:
    """One stream's unpersisted bytes: the pieces as the transport delivered them (~1 MiB
    frames at full speed), never copied into one growing buffer: with a bytearray, `+=`
    reallocates and `del buf[:n]` moves the rest on every cut, which dominates the
    runner's CPU at full speed. A chunk is sliced out of the pieces it spans."""

    __slots__ = ("head", "items", "size")

    def __init__(self) -> None:
        self.items: deque[bytes] = deque()
        self.head = 0  # bytes of items[0] already persisted
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def append(self, data: bytes) -> None:
        self.items.append(data)
        self.size += len(data)

    def read(self, start: int, n: int) -> bytes:
        """n bytes from `start` (counted from the first unpersisted byte)."""
        pos = self.head + start
        parts: list[bytes] = []
        for piece in self.items:
            if pos >= len(piece):
                pos -= len(piece)
                continue
            part = piece if pos == 0 and len(piece) <= n else piece[pos : pos + n]
            parts.append(part)
            n -= len(part)
            pos = 0
            if n == 0:
                break
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def consume(self, n: int) -> None:
        self.size -= n
        n += self.head
        while n and n >= len(self.items[0]):
            n -= len(self.items.popleft())
        self.head = n


@dataclass
class LogSink:
    job_id: str | UUID
    offsets: dict[str, int]  # persisted byte offset per stream
    last_seq: int
    line_count: int = 0
    buffers: dict[str, Pieces] = field(default_factory=lambda: {s: Pieces() for s in STREAMS})
    failed: BaseException | None = None
    ended: bool = False  # the job has ended: flushes take the incomplete tail too
    metrics: MetricSink | None = None  # the job's DRS_METRICS file, followed alongside

    @property
    def read_offsets(self) -> dict[str, int]:
        """Where the transport continues reading: persisted plus buffered bytes."""
        return {s: self.offsets[s] + len(self.buffers[s]) for s in STREAMS}

    @property
    def pending_bytes(self) -> int:
        metrics = self.metrics.pending if self.metrics is not None else 0
        return sum(len(b) for b in self.buffers.values()) + metrics

    def feed(self, stream: str, data: bytes) -> None:
        if data:
            self.buffers[stream].append(bytes(data))

    def take(self, *, final: bool = False) -> list[PendingChunk]:
        """The chunks a flush would write now (the buffers are emptied by `commit`)."""
        chunks: list[PendingChunk] = []
        seq, line = self.last_seq, self.line_count
        for stream in STREAMS:
            buf = self.buffers[stream]
            offset, start = self.offsets[stream], 0
            while start < len(buf):
                want = min(FLUSH_BYTES, len(buf) - start)
                data = buf.read(start, want)
                # A full chunk ends before a sequence it would split; so does the tail
                # (a sequence still being written), unless the job has ended.
                final_tail = final and start + want == len(buf)
                cut = want if final_tail else utf8_cut(data, want)
                if cut == 0:
                    break
                if cut < want:
                    data = data[:cut]
                seq += 1
                chunks.append(PendingChunk(seq, stream, offset, data, line))
                line += data.count(b"\n")
                offset += cut
                start += cut
        # An incomplete UTF-8 tail alone gives no chunk; the persister flushes a sink only
        # when a transport fed it, so a job quiet mid-character costs no CPU.
        return chunks

    def commit(self, chunks: list[PendingChunk]) -> None:
        for chunk in chunks:
            self.buffers[chunk.stream].consume(len(chunk.data))
            self.offsets[chunk.stream] = chunk.offset + len(chunk.data)
        if chunks:
            self.last_seq = chunks[-1].seq
            last = chunks[-1]
            self.line_count = last.line + last.data.count(b"\n")


@dataclass(frozen=True)
class JobAdvance:
    """What one flush moves a job's row to; `after` is the guard (its last_seq now)."""

    job_id: str
    after: int
    last_seq: int
    stdout_end: int | None
    stderr_end: int | None
    line_count: int

    @classmethod
    def of(cls, job_id: str | UUID, chunks: list[PendingChunk]) -> JobAdvance:
        ends: dict[str, int | None] = {Stream.STDOUT: None, Stream.STDERR: None}
        for c in chunks:
            ends[c.stream] = c.offset + len(c.data)
        last = chunks[-1]
        return cls(
            str(job_id),
            chunks[0].seq - 1,
            last.seq,
            ends[Stream.STDOUT],
            ends[Stream.STDERR],
            last.line + last.data.count(b"\n"),
        )


def store_chunks(
    owner: str,
    advances: list[JobAdvance],
    rows: list[tuple[str | UUID, PendingChunk]],
    now: datetime,
) -> set[str]:
    """Move each job's offsets on, guarded by its lease and last_seq, and insert the
    chunks of the jobs that moved; the ids that moved. On PostgreSQL one UPDATE moves
    every row of the batch (sql.persist_chunks)."""
    if sql.postgresql():
        return sql.persist_chunks(owner, advances, rows, now)
    moved: set[str] = set()
    for a in advances:
        updates: dict[str, object] = {
            "last_seq": a.last_seq,
            "line_count": a.line_count,
            "heartbeat_at": now,
        }
        if a.stdout_end is not None:
            updates["stdout_offset"] = a.stdout_end
        if a.stderr_end is not None:
            updates["stderr_offset"] = a.stderr_end
        if Job.objects.filter(pk=a.job_id, lease_owner=owner, last_seq=a.after).update(**updates):
            moved.add(a.job_id)
    LogChunk.objects.bulk_create(
        [
            LogChunk(job_id=job_id, time=now, **c.fields())
            for job_id, c in rows
            if str(job_id) in moved
        ],
        batch_size=500,
    )
    return moved


def persist_batch(
    owner: str,
    items: list[tuple[str | UUID, list[PendingChunk]]],
    points: list[tuple[str | UUID, MetricBatch]] | None = None,
) -> tuple[set[str], datetime]:
    """Chunks of many jobs and each job's offsets commit together, or not at all, and so
    do their metric points. A job whose guard fails (lease taken over, or last_seq or
    its metrics offset moved) writes nothing: returned."""
    now = timezone.now()
    logged = [(job_id, chunks) for job_id, chunks in items if chunks]
    advances = [JobAdvance.of(job_id, chunks) for job_id, chunks in logged]
    rows = [(job_id, c) for job_id, chunks in logged for c in chunks]
    # On PostgreSQL the chunks alone need no transaction here: sql.persist_chunks is one
    # statement, or opens its own for a flood.
    alone = sql.postgresql() and not points
    with contextlib.nullcontext() if alone else transaction.atomic():
        moved = store_chunks(owner, advances, rows, now) if advances else set()
        unmoved = {a.job_id for a in advances} - moved
        lost = (
            persist_points(owner, [p for p in points if str(p[0]) not in unmoved], now)
            if points
            else set()
        )
    # Counted once committed: a runner stopped while its loop awaited this flush (a worker
    # restart) never learns of it, and the count fell short of the log.
    stored = [c for job_id, c in rows if str(job_id) in moved]
    metrics.LOG_BYTES.inc(sum(len(c.data) for c in stored))
    metrics.LOG_CHUNKS.inc(len(stored))
    return lost | unmoved, now


Published = tuple[str | UUID, PendingChunk, datetime]


class PublishQueue:
    """One publisher's chunks in order, at most PUBLISH_BACKLOG_BYTES of them: beyond
    that the oldest are dropped (and counted)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Published] = asyncio.Queue()
        self.bytes = 0

    def put(self, item: Published) -> None:
        self.queue.put_nowait(item)
        self.bytes += len(item[1].data)
        while self.bytes > PUBLISH_BACKLOG_BYTES and self.queue.qsize() > 1:
            self.bytes -= len(self.queue.get_nowait()[1].data)
            self.queue.task_done()
            metrics.PUBLISH_DROPPED.inc()

    async def get_batch(self, max_items: int, max_bytes: int) -> list[Published]:
        """What has queued up (at least one item, waiting for it), up to the bounds."""
        batch = [await self.queue.get()]
        size = len(batch[0][1].data)
        while not self.queue.empty() and len(batch) < max_items and size < max_bytes:
            batch.append(self.queue.get_nowait())
            size += len(batch[-1][1].data)
        self.bytes -= size
        return batch

    def done(self, count: int) -> None:
        for _ in range(count):
            self.queue.task_done()


class Persister:
    """One per runner process: flushes every job's sink in few transactions, then
    publishes. Database blips are retried (the bytes stay buffered, the transports keep
    reading); a deterministic error (DataError, IntegrityError) fails only the job that
    caused it."""

    def __init__(
        self,
        owner: str,
        db: Db,
        publish: Callable[[list[tuple[object, dict[str, Any]]]], Awaitable[None]] = (
            apublish_log_events
        ),
    ) -> None:
        self.owner = owner
        self.db = db
        self.publish = publish
        self.sinks: dict[str, LogSink] = {}
        self.dirty: set[str] = set()
        self.wake = asyncio.Event()
        self.lock = asyncio.Lock()
        self.on_lost: Callable[[str], None] = lambda job_id: None
        self.on_failed: Callable[[str, BaseException], None] = lambda job_id, exc: None
        self._queues: list[PublishQueue] = []
        self.metric_publisher = MetricPublisher()
        self._publishers: list[asyncio.Task[None]] = []
        # Flushes of `run` begun and completed: a final flush waits for one that began
        # after it asked.
        self.running = False
        self.begun = 0
        self.completed = 0
        self.progress = asyncio.Condition()

    def register(self, sink: LogSink) -> None:
        self.sinks[str(sink.job_id)] = sink

    def unregister(self, job_id: str) -> None:
        self.sinks.pop(job_id, None)
        self.dirty.discard(job_id)

    def fed(self, job_id: str) -> None:
        """A transport fed bytes to this job's sink."""
        self.dirty.add(job_id)
        self.wake.set()

    async def run(self) -> None:
        self.running = True
        try:
            await self._run()
        finally:
            self.running = False
            async with self.progress:
                self.progress.notify_all()

    async def _run(self) -> None:
        """Group commit: a flush starts as soon as bytes arrive, once the previous flush is
        done and FLUSH_INTERVAL_SECONDS after it began, and takes everything that arrived
        meanwhile. Output after a pause waits for nothing, and the batches grow by
        themselves under load (a fixed wait for a pause in the output added its length to
        every line's latency)."""
        started = 0.0
        while True:
            await self.wake.wait()
            # Transports whose reads are ready now feed this flush rather than the next.
            await asyncio.sleep(max(0.0, started + FLUSH_INTERVAL_SECONDS - time.monotonic()))
            self.wake.clear()
            started = time.monotonic()
            dirty, self.dirty = self.dirty, set()
            sinks = [s for job_id in dirty if (s := self.sinks.get(job_id)) is not None]
            self.begun += 1
            number = self.begun
            try:
                await self.flush(sinks)
            except DatabaseError:
                log.warning("persisting logs failed; retrying", exc_info=True)
                self.dirty |= {str(s.job_id) for s in sinks}
                await asyncio.sleep(DB_RETRY_SECONDS)
                self.wake.set()
                continue
            async with self.progress:
                self.completed = number
                self.progress.notify_all()

    async def flush(self, sinks: list[LogSink], *, final: bool = False) -> None:
        async with self.lock:
            items: list[tuple[LogSink, list[PendingChunk]]] = []
            points: dict[str, MetricBatch] = {}
            for s in sinks:
                if s.failed is not None:
                    continue
                chunks = s.take(final=final or s.ended)
                if s.metrics is not None and s.metrics.pending:
                    batch = s.metrics.take(final=final or s.ended)
                    if batch is not None:
                        points[str(s.job_id)] = batch
                if chunks or str(s.job_id) in points:
                    items.append((s, chunks))
            if not items:
                return
            try:
                lost, when = await self.db(
                    persist_batch,
                    self.owner,
                    [(s.job_id, c) for s, c in items],
                    [
                        (s.job_id, points[str(s.job_id)])
                        for s, _ in items
                        if str(s.job_id) in points
                    ],
                )
            except (DataError, IntegrityError):
                if len(items) > 1:
                    lost, when = await self._isolate(items, points)
                else:
                    raise
            published = []
            for sink, chunks in items:
                job_id = str(sink.job_id)
                if job_id in lost:
                    sink.failed = LeaseLost(job_id)
                    self.on_lost(job_id)
                elif sink.failed is None:
                    sink.commit(chunks)
                    batch = points.get(job_id)
                    if batch is not None and sink.metrics is not None:
                        sink.metrics.commit(batch)
                        self.metric_publisher.committed(
                            sink.metrics, batch, when, final=final or sink.ended
                        )
                    published.append((sink, chunks))
        for sink, chunks in published:
            queue = self._queue_for(str(sink.job_id))
            for chunk in chunks:
                queue.put((sink.job_id, chunk, when))

    def _queue_for(self, job_id: str) -> PublishQueue:
        """Chunks go out through PUBLISHERS tasks: a job always maps to the same one (its
        chunks stay in order), and at most that many sends are in flight, so a burst
        never exhausts the channel layer's connections nor holds up the next flush."""
        if not self._publishers:
            self._queues = [PublishQueue() for _ in range(PUBLISHERS)]
            self._publishers = [
                asyncio.create_task(self._publish_from(q), name="drs-publisher")
                for q in self._queues
            ]
        return self._queues[hash(job_id) % PUBLISHERS]

    async def _publish_from(self, queue: PublishQueue) -> None:
        """Sends what has queued up meanwhile in one round trip (in order): publishing
        keeps pace with a flush of hundreds of jobs at a round trip's cost."""
        while True:
            batch = await queue.get_batch(PUBLISH_BATCH, FLUSH_BYTES * 4)
            try:
                await self.publish(
                    [(job_id, log_event(time=when, **c.fields())) for job_id, c, when in batch]
                )
                now = timezone.now()
                for _, _, when in batch:
                    metrics.PUBLISH_LAG.observe((now - when).total_seconds())
            except Exception:
                # Never let one failure stop the publisher: readers backfill from the DB.
                log.warning("publishing log chunks failed", exc_info=True)
            finally:
                queue.done(len(batch))

    async def close(self) -> None:
        """Let queued chunks go out (briefly), then stop the publishers."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(q.queue.join() for q in self._queues)), 2)
        for task in self._publishers:
            task.cancel()
        await asyncio.gather(*self._publishers, return_exceptions=True)
        self._publishers = []
        await self.metric_publisher.close()

    async def _isolate(
        self, items: list[tuple[LogSink, list[PendingChunk]]], points: dict[str, MetricBatch]
    ) -> tuple[set[str], datetime]:
        """One job's data broke the batch: commit the others one by one, fail that job."""
        lost: set[str] = set()
        when = timezone.now()
        for sink, chunks in items:
            batch = points.get(str(sink.job_id))
            try:
                job_lost, when = await self.db(
                    persist_batch,
                    self.owner,
                    [(sink.job_id, chunks)],
                    [(sink.job_id, batch)] if batch is not None else [],
                )
                lost |= job_lost
            except (DataError, IntegrityError) as exc:
                sink.failed = exc
                self.on_failed(str(sink.job_id), exc)
        return lost, when

    async def final_flush(self, sink: LogSink) -> None:
        """Everything the job wrote, the incomplete tail included (the job has ended). It
        goes in the next batched flush: jobs that end together share its transaction,
        instead of queueing one each on the database thread (a hundred jobs ending at
        once held their last lines ~0.6 s). A database outage is waited out."""
        sink.ended = True
        while sink.pending_bytes and sink.failed is None:
            before = sink.pending_bytes
            if not self.running:  # the runner is closing: flush here
                await self.flush([sink], final=True)
            else:
                await self._next_flush(str(sink.job_id))
            if sink.pending_bytes >= before:
                break
        if isinstance(sink.failed, BaseException):
            raise sink.failed

    async def _next_flush(self, job_id: str) -> None:
        """Wait for a flush of `run` that includes the job (one begun from now on)."""
        async with self.progress:
            wanted = self.begun + 1
            self.fed(job_id)
            await self.progress.wait_for(lambda: self.completed >= wanted or not self.running)


async def close_quietly(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
