"""The log sink: bytes in (from any transport), durable LogChunks out.

Batches each stream (flush after at most FLUSH_SECONDS or FLUSH_BYTES), cuts only on
UTF-8 boundaries, writes the chunks and the Job's offsets/last_seq in ONE transaction
(guarded by the lease), and only then publishes them. It knows nothing about SSH."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from uuid import UUID

from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils import timezone

from drs.jobs.choices import Stream
from drs.jobs.models import Job, LogChunk
from drs.realtime.broadcast import apublish_log_chunk

FLUSH_SECONDS = 0.1
FLUSH_BYTES = 64 * 1024
STREAMS = (Stream.STDOUT, Stream.STDERR)


class LeaseLost(Exception):
    """Another worker owns the job now: stop without writing anything."""


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


@dataclass
class LogSink:
    job_id: str | UUID
    lease_owner: str
    offsets: dict[str, int]  # persisted byte offset per stream
    last_seq: int
    publish: Callable[..., Awaitable[None]] = apublish_log_chunk
    buffers: dict[str, bytearray] = field(default_factory=lambda: {s: bytearray() for s in STREAMS})
    first_pending_at: float | None = None
    last_flush_at: float = 0.0

    @property
    def read_offsets(self) -> dict[str, int]:
        """Where the transport continues reading: persisted plus buffered bytes."""
        return {s: self.offsets[s] + len(self.buffers[s]) for s in STREAMS}

    @property
    def pending_bytes(self) -> int:
        return sum(len(b) for b in self.buffers.values())

    def feed(self, stream: str, data: bytes) -> None:
        if data:
            self.buffers[stream] += data
            if self.first_pending_at is None:
                self.first_pending_at = time.monotonic()

    def due(self, *, drained: bool = False) -> bool:
        """Flush when 64 KiB wait, when the oldest byte waited 100 ms, or when the source
        is drained for now and the last flush is 100 ms ago: sparse output goes out at
        once, a flood still makes at most ~10 transactions a second."""
        if self.first_pending_at is None:
            return False
        now = time.monotonic()
        return (
            self.pending_bytes >= FLUSH_BYTES
            or now - self.first_pending_at >= FLUSH_SECONDS
            or (drained and now - self.last_flush_at >= FLUSH_SECONDS)
        )

    def seconds_until_due(self) -> float | None:
        if self.first_pending_at is None:
            return None
        return max(0.0, FLUSH_SECONDS - (time.monotonic() - self.first_pending_at))

    def _take_chunks(self, final: bool) -> list[PendingChunk]:
        chunks: list[PendingChunk] = []
        seq = self.last_seq
        for stream in STREAMS:
            buf = bytes(self.buffers[stream])
            offset = self.offsets[stream]
            start = 0
            while start < len(buf):
                rest = buf[start:]
                cut = utf8_cut(rest, FLUSH_BYTES)
                if len(rest) <= FLUSH_BYTES:
                    # The tail: hold back a sequence still being written, unless final.
                    cut = len(rest) if final else utf8_cut(rest, len(rest))
                if cut == 0:
                    break
                seq += 1
                chunks.append(PendingChunk(seq, stream, offset, bytes(rest[:cut])))
                offset += cut
                start += cut
        return chunks

    async def flush(self, *, final: bool = False) -> int:
        chunks = self._take_chunks(final)
        if not chunks:
            return 0
        await sync_to_async(persist_chunks)(self.job_id, self.lease_owner, chunks)
        for chunk in chunks:
            del self.buffers[chunk.stream][: len(chunk.data)]
            self.offsets[chunk.stream] = chunk.offset + len(chunk.data)
        self.last_seq = chunks[-1].seq
        self.last_flush_at = time.monotonic()
        self.first_pending_at = self.last_flush_at if self.pending_bytes else None
        for chunk in chunks:
            await self.publish(
                self.job_id,
                seq=chunk.seq,
                stream=chunk.stream,
                offset=chunk.offset,
                data=chunk.data,
            )
        return len(chunks)


def persist_chunks(job_id: str | UUID, lease_owner: str, chunks: list[PendingChunk]) -> None:
    """Chunks and the Job's offsets commit together, or not at all."""
    now = timezone.now()
    ends = {s: None for s in STREAMS} | {c.stream: c.offset + len(c.data) for c in chunks}
    updates: dict[str, object] = {"last_seq": chunks[-1].seq, "heartbeat_at": now}
    if ends[Stream.STDOUT] is not None:
        updates["stdout_offset"] = ends[Stream.STDOUT]
    if ends[Stream.STDERR] is not None:
        updates["stderr_offset"] = ends[Stream.STDERR]
    with transaction.atomic():
        # The guard: last_seq must still be where this worker thinks it is.
        claimed = Job.objects.filter(
            pk=job_id, lease_owner=lease_owner, last_seq=chunks[0].seq - 1
        ).update(**updates)
        if claimed != 1:
            raise LeaseLost(str(job_id))
        LogChunk.objects.bulk_create(
            [
                LogChunk(
                    job_id=job_id,
                    seq=c.seq,
                    stream=c.stream,
                    offset=c.offset,
                    data=c.data,
                    time=now,
                )
                for c in chunks
            ]
        )
