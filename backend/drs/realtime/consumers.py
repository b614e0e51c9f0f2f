"""Websocket consumers: `/ws/jobs/` (status changes) and `/ws/jobs/<id>/logs/` (a job's log).

The log stream is lossless and resumable although the channel layer is not: channels-redis
drops messages for a full channel (bounded capacity) and after its expiry, and is gone
while Redis is down. So the database is the truth and the live messages are a fast path:

1. join the job's group first, so nothing committed from now on can be missed;
2. backfill from the database after `after`, in batches;
3. send live chunks in seq order, dropping seq <= last sent; a live chunk that skips
   ahead first has the gap filled from the database;
4. once the job is terminal, drain the database up to `job.last_seq`, send `end`, close.

Live messages are only buffered by the handlers (so the dispatch loop keeps draining the
channel and notices a disconnect at once); one pump task per connection does the sending.
When it has nothing to do it re-reads the job every IDLE_CHECK_SECONDS: that catches a
dropped final status event or dropped last chunks, which no later message would reveal.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import Coroutine, Iterable
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from autobahn.exception import Disconnected
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from redis.exceptions import RedisError

from drs.common.isotime import iso_time
from drs.common.metrics import WS_CLIENTS
from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job, MetricPoint
from drs.jobs.selectors import Row, job_list, log_rows
from drs.realtime import broadcast

log = logging.getLogger(__name__)

# Close codes (docs/api.md "Close codes"). Daphne lets an application send 1000 or 3000-4999 only.
CLOSE_DONE = 1000  # after `end`: the whole log was sent
CLOSE_BAD_REQUEST = 4400  # bad query parameter: retrying unchanged will not help
CLOSE_GONE = 4404  # the job was deleted while followed
CLOSE_INTERNAL_ERROR = 4500  # unexpected server error: reconnect with backoff
CLOSE_UNAVAILABLE = 4503  # channel layer (Redis) unavailable: reconnect with backoff

# Failures of the channel layer's Redis connection (TimeoutError is an OSError).
LAYER_ERRORS: tuple[type[BaseException], ...] = (OSError, RedisError)
# Sending to a client that just went away: daphne raises autobahn's Disconnected (other
# ASGI servers raise an OSError). The disconnect message follows; nothing to report.
CLIENT_GONE: tuple[type[BaseException], ...] = (Disconnected, OSError)

# Chunks per database read: sized from the last batch's chunks to about BATCH_BYTES
# (a chunk holds 1 byte to 64 KiB), between MIN_BATCH and MAX_BATCH.
BATCH_BYTES = 1 << 20
MIN_BATCH, FIRST_BATCH, MAX_BATCH = 16, 64, 512
MAX_PENDING_BYTES = 1 << 20  # live data buffered per connection; beyond it, refetch
IDLE_CHECK_SECONDS = 5.0
# channels-redis forgets group members after `group_expiry` (1 day): re-join well before.
GROUP_REFRESH_SECONDS = 3600.0


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def log_frame(
    seq: int, stream: str, offset: int, time: str, line: int, data: bytes | memoryview
) -> dict[str, Any]:
    # The runner cuts chunks on UTF-8 boundaries, so per-chunk decoding loses nothing valid.
    text = bytes(data).decode("utf-8", errors="replace")
    return {
        "type": "log",
        "seq": seq,
        "stream": stream,
        "offset": offset,
        "time": time,
        "line": line,
        "data": text,
    }


def parse_after(query_string: bytes, name: str = "after") -> int | None:
    """`after` from the query string: a seq >= 0, default 0; None when malformed."""
    try:
        values = parse_qs(query_string.decode("latin-1"), strict_parsing=False).get(name)
    except ValueError:
        return None
    if not values:
        return 0
    raw = values[-1].strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


@database_sync_to_async
def visible_job_id(user: Any, job_id: UUID) -> UUID | None:
    return job_list(user=user).filter(pk=job_id).values_list("pk", flat=True).first()


@database_sync_to_async
def chunks_after(job_id: UUID, after: int, upto: int | None, limit: int) -> list[Row]:
    rows, _more = log_rows(job_id=job_id, after=after, upto=upto, count=limit)
    return rows


@database_sync_to_async
def job_state(job_id: UUID) -> tuple[str, int | None, int, int] | None:
    """(status, exit_code, last_seq, metric_count) read together, or None when gone."""
    return (
        Job.objects.filter(pk=job_id)
        .values_list("status", "exit_code", "last_seq", "metric_count")
        .first()
    )


METRIC_BATCH = 1000


@database_sync_to_async
def points_after(job_id: UUID, after: int) -> list[dict[str, Any]]:
    rows = (
        MetricPoint.objects.filter(job_id=job_id, n__gt=after)
        .order_by("n")
        .values_list("n", "time", "values")[:METRIC_BATCH]
    )
    return [metric_frame(n, iso_time(time), values) for n, time, values in rows]


def metric_frame(n: int, time: str, values: dict[str, float]) -> dict[str, Any]:
    return {"type": "metric", "n": n, "time": time, "values": values}


class SendWindow:
    """Backpressure from daphne, which offers none through ASGI: registered as the
    streaming producer of the client's Twisted transport, it is paused while the
    transport holds more than its buffer size (64 KiB) and resumed once that was
    written. The log pump waits for it before each send, so a client that reads slowly
    (or not at all) costs the server one database batch of memory, not the whole log.

    The transport already has a producer: the HTTP channel the websocket was upgraded
    from, which pauses reading while the send buffer is full. It keeps doing that: the
    window takes its place and passes every call on to it."""

    def __init__(self, previous: Any = None) -> None:
        self.previous = previous
        self.writable = asyncio.Event()
        self.writable.set()

    @classmethod
    def attach(cls, send: Any) -> SendWindow | None:
        # daphne passes `send` as partial(server.handle_reply, protocol); with another
        # ASGI server (or a transport that is not a plain Twisted one) there is no window.
        protocol = send.args[0] if isinstance(send, functools.partial) and send.args else None
        transport = getattr(protocol, "transport", None)
        if transport is None or not hasattr(transport, "registerProducer"):
            return None
        previous = getattr(transport, "producer", None)
        if previous is not None:
            if not getattr(transport, "streamingProducer", False):
                return None
            transport.unregisterProducer()
        window = cls(previous)
        try:
            transport.registerProducer(window, True)
        except RuntimeError:  # a producer we could not see (a wrapping transport)
            return None
        return window

    # IPushProducer, called by Twisted on the event loop's thread.
    def pauseProducing(self) -> None:
        self.writable.clear()
        if self.previous is not None:
            self.previous.pauseProducing()

    def resumeProducing(self) -> None:
        self.writable.set()
        if self.previous is not None:
            self.previous.resumeProducing()

    def stopProducing(self) -> None:
        self.writable.set()  # the connection is gone: let the pump run into that
        if self.previous is not None:
            self.previous.stopProducing()


class GroupConsumer(AsyncWebsocketConsumer):
    """Manages its channel-layer groups itself, so that a Redis outage ends a connection
    with CLOSE_UNAVAILABLE (clients reconnect and resume) instead of a traceback, and
    runs background tasks that end with the connection."""

    accepted = False
    closing = False
    client_gone = False
    # Set once the handshake passed every permission check: only then may a failure
    # be reported with accept + close instead of a refusal.
    authorized = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.joined: list[str] = []
        self.tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS as exc:
            if not self.closing:
                log.warning("websocket %s: channel layer failed: %r", scope.get("path"), exc)
            await self.stop_tasks()
            if hasattr(self, "base_send"):
                await self.close_unavailable()
        except asyncio.CancelledError:
            # daphne cancels every connection when it stops, and waits: leave the groups,
            # or channels-redis keeps queueing for channels nobody will ever read.
            await self.stop_tasks()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(2):
                    await self.leave_groups()
            raise
        finally:
            if self.accepted:
                WS_CLIENTS.dec()

    async def dispatch(self, message: dict[str, Any]) -> None:
        """As channels does it, minus `aclose_old_connections()` before every handler: that
        is a hop to the one database thread for each live chunk, and these handlers never
        touch the ORM directly (their queries use database_sync_to_async, which cleans up
        connections itself)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def accept(self, subprotocol: str | None = None, headers: Any = None) -> None:
        await super().accept(subprotocol, headers)
        self.accepted = True
        WS_CLIENTS.inc()

    async def send_frame(self, frame: dict[str, Any]) -> None:
        if self.client_gone:
            return
        try:
            await self.send(text_data=encode(frame))
        except CLIENT_GONE:
            # The client left; its disconnect message is on the way and ends us.
            self.client_gone = True

    async def close_unavailable(self) -> None:
        if self.closing:
            return
        self.closing = True
        if not self.accepted and not self.authorized:
            await self.close()  # still a refusal: say nothing to an unchecked client
            return
        if not self.accepted:
            await self.accept()
        await self.close(CLOSE_UNAVAILABLE)

    async def join(self, groups: Iterable[str]) -> bool:
        """Join the groups; on a layer failure close with CLOSE_UNAVAILABLE and say False."""
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.joined.append(group)
        except LAYER_ERRORS as exc:
            log.warning("websocket %s: cannot join groups: %r", self.scope.get("path"), exc)
            await self.close_unavailable()
            return False
        self.start_task(self.refresh_groups())
        return True

    async def refresh_groups(self) -> None:
        while True:
            await asyncio.sleep(GROUP_REFRESH_SECONDS)
            for group in self.joined:
                with contextlib.suppress(*LAYER_ERRORS):
                    await self.channel_layer.group_add(group, self.channel_name)

    def start_task(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def stop_tasks(self) -> None:
        current = asyncio.current_task()
        tasks = [task for task in self.tasks if task is not current]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def disconnect(self, code: int) -> None:
        await self.stop_tasks()
        await self.leave_groups()

    async def leave_groups(self) -> None:
        joined, self.joined = self.joined, []
        for group in joined:
            with contextlib.suppress(*LAYER_ERRORS):
                await self.channel_layer.group_discard(group, self.channel_name)


class JobsConsumer(GroupConsumer):
    """`/ws/jobs/`: `{"type": "job", "job": {...}}` for every status change of the user's
    jobs (staff: of every job)."""

    async def connect(self) -> None:
        user = self.scope["user"]
        self.authorized = True
        group = broadcast.STAFF_JOBS_GROUP if user.is_staff else broadcast.user_jobs_group(user.pk)
        if await self.join([group]):
            await self.accept()

    async def job_changed(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "job", "job": event["job"]})

    async def job_progress(self, event: dict[str, Any]) -> None:
        await self.send_frame(
            {"type": "progress", "id": event["id"], "progress": event["progress"]}
        )

    async def log_chunk(self, event: dict[str, Any]) -> None:
        """Not in a log group; ignore rather than crash if one ever arrives."""

    async def metric_points(self, event: dict[str, Any]) -> None:
        """Not in a log group either."""


class JobLogConsumer(GroupConsumer):
    """`/ws/jobs/<id>/logs/?after=<seq>`: the job's log chunks after `after`, each exactly
    once and in seq order, then `end` once the job is finished (see the module doc)."""

    job_id: UUID
    window: SendWindow | None = None
    last_sent = 0
    known_seq = 0  # highest seq known to be committed (from live messages or the job)
    backfilling = True
    check_job = True
    finished = False

    # Metric points, the same way as chunks: each n once and in order, live or from the
    # database (a gap, a reconnect with `metrics_after`, dropped messages).
    metrics_sent = 0
    metrics_known = 0
    metrics_backfilling = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = FIRST_BATCH
        self.pending_points: dict[int, dict[str, Any]] = {}
        self.pending: dict[int, dict[str, Any]] = {}
        self.pending_bytes = 0
        self.wake = asyncio.Event()

    async def connect(self) -> None:
        job_id = await visible_job_id(
            self.scope["user"], self.scope["url_route"]["kwargs"]["job_id"]
        )
        if job_id is None:
            await self.close()  # before accept: 403, whether missing or someone else's
            return
        self.authorized = True
        after = parse_after(self.scope.get("query_string", b""))
        metrics_after = parse_after(self.scope.get("query_string", b""), "metrics_after")
        if after is None or metrics_after is None:
            await self.accept()
            await self.close(CLOSE_BAD_REQUEST)
            return
        self.job_id = job_id
        self.last_sent = after
        self.metrics_sent = metrics_after
        # Join before reading the database: a chunk committed after the backfill's read
        # is then certainly published to us.
        if not await self.join([broadcast.job_logs_group(job_id)]):
            return
        await self.accept()
        self.window = SendWindow.attach(self.base_send)
        self.start_task(self.run_pump())

    # --- channel layer handlers: buffer and wake the pump, never block ----------------------

    async def log_chunk(self, event: dict[str, Any]) -> None:
        seq = int(event["seq"])
        if self.finished or seq <= self.last_sent or seq in self.pending:
            return
        self.known_seq = max(self.known_seq, seq)
        size = len(event["data"])
        if self.pending_bytes + size <= MAX_PENDING_BYTES:
            self.pending[seq] = event
            self.pending_bytes += size
        # else: known_seq records it; the pump reads it from the database instead.
        self.wake.set()

    async def metric_points(self, event: dict[str, Any]) -> None:
        if self.finished:
            return
        time = event["time"]
        for n, values in event["points"]:
            if n <= self.metrics_sent:
                continue
            self.metrics_known = max(self.metrics_known, n)
            if len(self.pending_points) < METRIC_BATCH:
                self.pending_points[n] = metric_frame(n, time, values)
        self.wake.set()

    async def job_changed(self, event: dict[str, Any]) -> None:
        job = event.get("job") or {}
        last_seq = job.get("last_seq")
        if isinstance(last_seq, int):
            self.known_seq = max(self.known_seq, last_seq)
        if job.get("status") in TERMINAL_STATUSES:
            self.check_job = True
        self.wake.set()

    # --- the pump ------------------------------------------------------------------------------

    async def run_pump(self) -> None:
        try:
            await self.pump()
        except Exception:  # not CancelledError, a BaseException
            # The one place that catches broadly: an error in a background task would
            # otherwise vanish and leave the client waiting on a silent socket.
            log.exception("websocket log stream of job %s failed", self.job_id)
            self.finished = True
            await self.close(CLOSE_INTERNAL_ERROR)

    async def pump(self) -> None:
        while not self.client_gone:
            event = self.pending.pop(self.last_sent + 1, None)
            if event is not None:
                self.pending_bytes -= len(event["data"])
                await self.send_log(
                    (
                        event["seq"],
                        event["stream"],
                        event["offset"],
                        event["time"],
                        event["line"],
                        event["data"],
                    )
                )
                continue
            point = self.pending_points.pop(self.metrics_sent + 1, None)
            if point is not None:
                await self.send_metric(point)
                continue
            if self.backfilling or self.known_seq > self.last_sent:
                await self.send_from_database()
                continue
            if self.metrics_backfilling or self.metrics_known > self.metrics_sent:
                await self.send_points_from_database()
                continue
            if self.check_job:
                self.check_job = False
                if await self.finish_if_done():
                    return
                continue
            # Nothing to do. No await since the checks above, so no handler ran in between.
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), IDLE_CHECK_SECONDS)
            except TimeoutError:
                self.check_job = True

    async def send_from_database(self) -> None:
        """One batch after last_sent: up to the first buffered live chunk (the gap), or
        without bound while backfilling."""
        self.drop_sent_pending()
        upto = min(self.pending) - 1 if self.pending else None
        limit = self.batch
        rows = await chunks_after(self.job_id, self.last_sent, upto, limit)
        if rows:
            average = max(1, sum(len(row[5]) for row in rows) // len(rows))
            self.batch = max(MIN_BATCH, min(MAX_BATCH, BATCH_BYTES // average))
        for row in rows:
            await self.send_log(row)
        self.drop_sent_pending()
        if not rows:
            # Nothing more is committed (or the gap is not, which commit-then-publish
            # rules out): stop asking until a message or the idle check says otherwise.
            self.backfilling = False
            self.known_seq = min(self.known_seq, self.last_sent)
        elif len(rows) < limit and upto is None:
            self.backfilling = False

    async def send_points_from_database(self) -> None:
        frames = await points_after(self.job_id, self.metrics_sent)
        for frame in frames:
            await self.send_metric(frame)
        for n in [n for n in self.pending_points if n <= self.metrics_sent]:
            del self.pending_points[n]
        if len(frames) < METRIC_BATCH:
            self.metrics_backfilling = False
            self.metrics_known = min(self.metrics_known, self.metrics_sent)

    async def send_metric(self, frame: dict[str, Any]) -> None:
        if self.window is not None:
            await self.window.writable.wait()
        self.metrics_sent = frame["n"]
        await self.send_frame(frame)

    def drop_sent_pending(self) -> None:
        """Forget buffered live chunks the database path has sent meanwhile."""
        for seq in [seq for seq in self.pending if seq <= self.last_sent]:
            self.pending_bytes -= len(self.pending.pop(seq)["data"])

    async def finish_if_done(self) -> bool:
        state = await job_state(self.job_id)
        if state is None:
            self.finished = True
            await self.close(CLOSE_GONE)
            return True
        status, exit_code, last_seq, metric_count = state
        terminal = status in TERMINAL_STATUSES
        if metric_count > self.metrics_sent:
            self.metrics_known = max(self.metrics_known, metric_count)
            self.check_job = terminal
            return False
        if last_seq > self.last_sent:
            # Chunks we have not seen (dropped messages, or the final status overtook the
            # last chunks): drain them, then look at the job again.
            self.known_seq = max(self.known_seq, last_seq)
            self.check_job = terminal
            return False
        if not terminal:
            return False
        self.finished = True
        await self.send_frame({"type": "end", "status": status, "exit_code": exit_code})
        await self.close(CLOSE_DONE)
        return True

    async def send_log(self, row: Row) -> None:
        if self.window is not None:
            await self.window.writable.wait()
        self.last_sent = row[0]
        await self.send_frame(log_frame(*row))
