"""The runner's side of the follower agent (`agent_main.py`, which runs on the host): one
agent per connection streams the output of every job this process follows there.

Both transports (the agent, and SFTP polling for hosts without python3) deliver to a
`Watcher`: bytes at an offset, the exit code once every byte was delivered, or "gone"."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import struct
import time
from collections.abc import Callable, Sequence
from importlib.resources import files
from typing import Any, Protocol

log = logging.getLogger(__name__)

SOURCE: bytes = files("drs.runner").joinpath("agent_main.py").read_bytes()
SOURCE_NAME = f"agent-{hashlib.sha256(SOURCE).hexdigest()[:12]}.py"
HELLO_TIMEOUT = 15.0
# The agent heartbeats every 5 s (agent_main.PERIOD_SECONDS); 15 s of nothing: it is
# stuck. The pool's sweep (every 5 s) restarts it, so a stuck agent is noticed in 15-20 s.
SILENCE_TIMEOUT = 15.0
FRAME = struct.Struct(">II")
# A launch through the agent answers once the wrapper recorded the job's process ids
# (milliseconds); past this the runner asks the shell launch script instead.
LAUNCH_TIMEOUT = 30.0
# The agent's answer while another launch of the job is still starting (agent_main.py).
LAUNCH_IN_PROGRESS = 75
# Byte offsets to follow from: stdout, stderr and the metrics file (None: not that one).
Offsets = Sequence[int | None]
METRICS_STREAM = 2  # the third stream: the job's DRS_METRICS file


class Watcher(Protocol):
    """What a transport reports about one job."""

    def on_data(self, stream: int, offset: int, data: bytes) -> None: ...
    def on_exit(self, code: int) -> None: ...
    def on_gone(self, why: str) -> None: ...
    def on_started(self) -> None:
        """A batch job's wrapper started (its pid file appeared)."""

    def on_lost(self, why: str) -> None:
        """The transport itself went away (connection dropped): resume elsewhere."""


class Follower(Protocol):
    """A transport following many jobs on one host."""

    closed: asyncio.Event

    def watch(self, job_id: str, directory: str, offsets: Offsets | None, w: Watcher) -> None:
        """Follow a job from these byte offsets (None: only its end, not its output)."""

    def unwatch(self, job_id: str) -> None: ...
    def close(self) -> None: ...


class Reader(Protocol):
    async def readexactly(self, n: int) -> bytes: ...


class Writer(Protocol):
    def write(self, data: bytes) -> Any: ...


class AgentError(Exception):
    """The agent could not start (no python3) or stopped answering."""


class AgentClient:
    """Reads the agent's frames and routes them to watchers. `closed` is set when the
    agent's stream ends, for whatever reason; its watchers must then resume elsewhere."""

    def __init__(self, reader: Reader, writer: Writer, close: Callable[[], None]) -> None:
        self.reader = reader
        self.writer = writer
        self._close = close
        self.watchers: dict[str, Watcher] = {}
        self.launches: dict[str, asyncio.Future[tuple[int, bytes]]] = {}
        self.closed = asyncio.Event()
        self.mode = ""
        self.last_frame = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            header, _ = await asyncio.wait_for(self._frame(), HELLO_TIMEOUT)
        except (asyncio.IncompleteReadError, TimeoutError, OSError, ValueError) as exc:
            self.close()
            raise AgentError(f"the follower agent did not start: {exc!r}") from None
        if header.get("t") != "hello":
            self.close()
            raise AgentError(f"unexpected first frame from the agent: {header!r}")
        self.mode = str(header.get("mode", ""))
        self._task = asyncio.create_task(self._run(), name="drs-agent-reader")

    async def _frame(self) -> tuple[dict[str, Any], bytes]:
        head_len, payload_len = FRAME.unpack(await self.reader.readexactly(FRAME.size))
        header = json.loads(await self.reader.readexactly(head_len))
        payload = await self.reader.readexactly(payload_len) if payload_len else b""
        self.last_frame = time.monotonic()
        return header, payload

    async def _run(self) -> None:
        try:
            while True:
                header, payload = await self._frame()
                kind = header.get("t")
                if kind == "launched":
                    answer = self.launches.pop(header["id"], None)
                    if answer is not None and not answer.done():
                        answer.set_result((int(header["code"]), payload))
                    continue
                watcher = self.watchers.get(header.get("id", ""))
                if kind == "hb" or watcher is None:
                    continue
                if kind == "data":
                    watcher.on_data(int(header["s"]), int(header["o"]), payload)
                elif kind == "exit":
                    self.watchers.pop(header["id"], None)
                    watcher.on_exit(int(header["code"]))
                elif kind == "started":
                    watcher.on_started()
                elif kind == "gone":
                    self.watchers.pop(header["id"], None)
                    watcher.on_gone(str(header.get("why", "")))
        except (asyncio.IncompleteReadError, OSError, ValueError, KeyError) as exc:
            log.info("follower agent stream ended: %r", exc)
        except Exception:
            log.exception("follower agent reader failed")
        finally:
            self.close()

    def watch(
        self,
        job_id: str,
        directory: str,
        offsets: Offsets | None,
        w: Watcher,
        *,
        batch: bool = False,
    ) -> None:
        """BATCH: a batch scheduler's job: its files are polled, its start reported."""
        self.watchers[job_id] = w
        command: dict[str, Any] = {
            "op": "watch", "id": job_id, "dir": directory, "offsets": offsets and list(offsets)
        }  # fmt: skip
        if batch:
            command["batch"] = True
        self._send(command)

    async def launch(
        self, job_id: str, directory: str, command: str, wrapper: str, program: str | None = None
    ) -> tuple[int, bytes]:
        """Start a job's detached wrapper on the host: (0, `pgid start` and `pid start`
        lines) or (the launch script's error status, message). Given PROGRAM, the agent
        creates the directory and writes it there first. AgentError if the agent ended or
        did not answer: the launch is idempotent, so ask the script then."""
        if self.closed.is_set():
            raise AgentError("the follower agent has ended")
        answer = asyncio.get_running_loop().create_future()
        self.launches[job_id] = answer
        request = {
            "op": "launch", "id": job_id, "dir": directory, "command": command, "wrapper": wrapper
        }  # fmt: skip
        if program is not None:
            request["program"] = program
        self._send(request)
        try:
            return await asyncio.wait_for(answer, LAUNCH_TIMEOUT)
        except TimeoutError:
            raise AgentError("the follower agent did not answer the launch") from None
        finally:
            self.launches.pop(job_id, None)

    def unwatch(self, job_id: str) -> None:
        if self.watchers.pop(job_id, None) is not None and not self.closed.is_set():
            self._send({"op": "unwatch", "id": job_id})

    def _send(self, command: dict[str, Any]) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self.writer.write(json.dumps(command).encode() + b"\n")

    def silent_for(self) -> float:
        return time.monotonic() - self.last_frame

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        with contextlib.suppress(Exception):
            self._close()
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
        launches, self.launches = self.launches, {}
        for answer in launches.values():
            if not answer.done():
                answer.set_exception(AgentError("the follower agent's connection ended"))
        watchers, self.watchers = self.watchers, {}
        for watcher in watchers.values():
            watcher.on_lost("the follower agent's connection ended")
