"""Follow a job's log over `/ws/jobs/<id>/logs/?after=<seq>` and write its exact bytes.

**Resume.** The server sends chunks strictly in `seq` order (1, 2, 3… per job, both
streams), then `{"type": "end", "status", "exit_code"}` once the job has ended and every
chunk was sent. After any drop (server restart, network, close codes 4500/4503) the
follower reconnects with `after=<last seq written>`, so nothing is missed or repeated; a
frame with `seq <= last` is ignored and a gap forces a reconnect. A refused handshake
(HTTP 403: no such job of yours, or a token the server does not accept) and close code
4404 (job deleted) end it with a DrsError.

**Exact bytes.** A websocket frame carries a chunk's bytes as UTF-8 text with invalid
bytes replaced by U+FFFD, and the server never splits a UTF-8 sequence between chunks. So
a chunk whose text holds no U+FFFD was valid UTF-8, and `data.encode()` is exactly its
bytes (its `offset` must also continue the bytes written so far for its stream). A chunk
with U+FFFD may have held invalid bytes (or a literal U+FFFD): its bytes cannot be
recovered from the text. Each `Output` therefore writes live, chunk by chunk, until the
first chunk it cannot reproduce; from there on it is *deferred*: nothing more is written
to it live, and after `end` (the stored log is then complete) the rest is copied from
`GET /api/jobs/<id>/log.txt?stream=<source>`, skipping the bytes already written. log.txt
serves the stored bytes in the order the websocket sends them (`all`: the chunks in seq
order), so the output is byte-exact either way. UTF-8 output, the common case, stays
live to the last byte; a stream that writes binary or another encoding appears in full
when the job ends.

**Exit status** (`exit_status`), as `ssh host cmd` does: the job's own exit code 0-255
(a job killed by signal N: 128+N, as its shell reports it); 124 timed out (as
`timeout(1)`); 253 cancelled; 254 lost; 255 failed to start, or the CLI could not follow
it (connection, refused handshake). A detach by Ctrl-C exits 130.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO
from uuid import UUID

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from drs_cli.api import status_error, transport_error
from drs_cli.errors import DrsError
from drs_cli.session import Session

EXIT_TIMED_OUT = 124
EXIT_DETACHED = 130
EXIT_CANCELLED = 253
EXIT_LOST = 254
EXIT_FAILED_TO_START = 255  # also: the CLI itself could not submit or follow the job

REPLACEMENT = "\ufffd"
STREAMS = ("stdout", "stderr")


@dataclass
class Output:
    """Where log bytes go. `source` is the log.txt stream that holds exactly what this
    output gets (`stdout`, `stderr`, or `all` for both interleaved in seq order)."""

    file: BinaryIO
    source: str
    written: int = 0
    deferred: bool = False
    # Bytes held back while a prompt is on the terminal (`paused`); None: write through.
    held: bytearray | None = None

    def write(self, data: bytes) -> None:
        if self.held is not None:
            self.held += data
        else:
            self.file.write(data)
            self.file.flush()
        self.written += len(data)

    def hold(self) -> None:
        if self.held is None:
            self.held = bytearray()

    def release(self) -> None:
        held, self.held = self.held, None
        if held:
            self.file.write(bytes(held))
            self.file.flush()


@contextlib.contextmanager
def paused(routes: dict[str, Output]) -> Iterator[None]:
    """Hold every output's bytes for the duration (a question on the terminal), then
    write them in order."""
    outputs = list({id(o): o for o in routes.values()}.values())
    for output in outputs:
        output.hold()
    try:
        yield
    finally:
        for output in outputs:
            output.release()


@dataclass(frozen=True)
class End:
    status: str
    exit_code: int | None


def split_outputs(stdout: BinaryIO, stderr: BinaryIO) -> dict[str, Output]:
    """The job's stdout to `stdout` and its stderr to `stderr` (submit --follow)."""
    return {"stdout": Output(stdout, "stdout"), "stderr": Output(stderr, "stderr")}


def stream_outputs(file: BinaryIO, stream: str) -> dict[str, Output]:
    """One stream, or both interleaved (`all`), to one file (drs logs)."""
    if stream == "all":
        both = Output(file, "all")
        return {"stdout": both, "stderr": both}
    return {stream: Output(file, stream)}


class Follower:
    """One job's log, followed to its end through any number of reconnects."""

    def __init__(
        self,
        session: Session,
        job_id: UUID,
        routes: Mapping[str, Output],
        *,
        notice: Callable[[str], None] = lambda message: None,
        give_up: float = 300.0,
        open_timeout: float = 30.0,
    ) -> None:
        self.session = session
        self.job_id = job_id
        self.routes = routes
        self.notice = notice
        self.give_up = give_up
        self.open_timeout = open_timeout
        self.last_seq = 0
        self.connections = 0
        # Next byte offset per stream while every byte of it so far was reproduced exactly.
        self._next_offset: dict[str, int | None] = dict.fromkeys(STREAMS, 0)

    def url(self) -> str:
        return f"{self.session.ws_url}/ws/jobs/{self.job_id}/logs/?after={self.last_seq}"

    async def run(self) -> End:
        loop = asyncio.get_running_loop()
        delay = 0.5
        lost_since: float | None = None  # when the connection last went away
        while True:
            reason = ""
            try:
                async with connect(
                    self.url(),
                    additional_headers=self.session.headers,
                    max_size=None,
                    open_timeout=self.open_timeout,
                ) as ws:
                    self.connections += 1
                    delay, lost_since = 0.5, None
                    end = await self._read(ws)
                    if end is not None:
                        await self._repair()
                        return end
                    # Closed without `end` (1001: server going away), or we left on a gap.
                    reason = f"closed ({ws.close_code})" if ws.close_code else "a gap in seq"
            except InvalidStatus as exc:
                status = exc.response.status_code
                if 400 <= status < 500:
                    raise DrsError(
                        f"the server refused to follow job {self.job_id} (HTTP {status}): "
                        "no such job of yours, or your token is not accepted",
                        EXIT_FAILED_TO_START,
                    ) from exc
                reason = f"HTTP {status}"
            except InvalidURI as exc:
                raise DrsError(
                    f"bad URL {self.session.url!r}: {exc}", EXIT_FAILED_TO_START
                ) from None
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
                if code == 4404:
                    raise DrsError(f"job {self.job_id} was deleted", EXIT_FAILED_TO_START) from exc
                if code == 4400:
                    raise DrsError(
                        f"the server refused after={self.last_seq}", EXIT_FAILED_TO_START
                    ) from exc
                reason = f"connection closed ({code or 'no close frame'})"
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                if not self.connections:
                    # Never connected: a wrong URL or a server that is down, not a blip.
                    raise DrsError(
                        f"cannot reach {self.session.ws_url}: {exc or type(exc).__name__}",
                        EXIT_FAILED_TO_START,
                    ) from exc
                reason = str(exc) or type(exc).__name__
            lost_since = loop.time() if lost_since is None else lost_since
            if loop.time() - lost_since > self.give_up:
                raise DrsError(
                    f"lost the log of job {self.job_id} for over {self.give_up:.0f} s: {reason}",
                    EXIT_FAILED_TO_START,
                )
            self.notice(f"{reason}; reconnecting after seq {self.last_seq}")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _read(self, ws: ClientConnection) -> End | None:
        """Write frames until `end` (returned) or the connection ends (None)."""
        async for raw in ws:
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "end":
                return End(str(message.get("status", "")), message.get("exit_code"))
            if kind != "log":
                continue  # a message type this client does not know yet
            seq = int(message["seq"])
            if seq <= self.last_seq:
                continue
            if seq != self.last_seq + 1:
                return None  # a gap: reconnect from the last seq
            self._write(str(message["stream"]), int(message["offset"]), str(message["data"]))
            self.last_seq = seq
        return None

    def _write(self, stream: str, offset: int, text: str) -> None:
        expected = self._next_offset.get(stream)
        exact = REPLACEMENT not in text and expected == offset
        data = text.encode() if exact else b""
        self._next_offset[stream] = offset + len(data) if exact else None
        output = self.routes.get(stream)
        if output is None or output.deferred:
            return
        if exact:
            output.write(data)
        else:
            output.deferred = True

    async def _repair(self) -> None:
        """Copy what deferred outputs still miss from log.txt (see the module doc)."""
        repaired: set[int] = set()
        for output in self.routes.values():
            if not output.deferred or id(output) in repaired:
                continue
            repaired.add(id(output))
            await self._copy_rest(output)

    async def _copy_rest(self, output: Output) -> None:
        path = f"/api/jobs/{self.job_id}/log.txt"
        skip = output.written
        try:
            async with (
                httpx.AsyncClient(
                    base_url=self.session.url, headers=self.session.headers, timeout=60
                ) as client,
                client.stream("GET", path, params={"stream": output.source}) as response,
            ):
                if response.status_code != 200:
                    await response.aread()
                    raise status_error(f"log of job {self.job_id}", response, self.session.url)
                async for block in response.aiter_bytes():
                    if skip >= len(block):
                        skip -= len(block)
                        continue
                    output.write(block[skip:])
                    skip = 0
        except httpx.HTTPError as exc:
            raise transport_error(self.session.url, exc) from exc


def exit_status(end: End, *, signal: str = "", error: str = "") -> tuple[int, str]:
    """(exit status, one-line reason or "") for a finished job; see the module doc."""
    if end.status == "timed_out":
        return EXIT_TIMED_OUT, f"job timed out{': ' + error if error else ''}"
    if end.status == "cancelled":
        return EXIT_CANCELLED, "job cancelled"
    if end.status == "lost":
        return EXIT_LOST, f"job lost{': ' + error if error else ''}"
    if end.exit_code is not None and end.status in ("succeeded", "failed"):
        reason = f"job killed by {signal} (exit status {end.exit_code})" if signal else ""
        return int(end.exit_code) & 0xFF, reason
    if end.status == "failed":
        return EXIT_FAILED_TO_START, f"job failed to start: {error or 'no reason given'}"
    return EXIT_FAILED_TO_START, f"job ended with status {end.status!r}"
