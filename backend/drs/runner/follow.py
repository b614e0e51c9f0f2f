"""SFTP polling: the fallback transport for hosts without a usable python3. One task per
connection polls every job it follows (exit code first, then both files from their
offsets) and reports to the same Watchers as the agent does, so the log sink never
knows which transport fed it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import asyncssh

from drs.runner.agent import Offsets, Watcher
from drs.runner.remote import Remote, liveness_script

log = logging.getLogger(__name__)

READ_SIZE = 1024 * 1024
POLL_MIN = 0.05
POLL_MAX = 0.25
LIVENESS_EVERY = 5.0
STREAMS = ("stdout", "stderr", "metrics.jsonl")  # the files of agent_main.STREAMS


def parse_int(raw: bytes | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw.split()[0] if raw.split() else b"x")
    except ValueError:
        return None


class Watched:
    def __init__(self, directory: str, offsets: Offsets | None, watcher: Watcher) -> None:
        self.directory = directory
        self.data = offsets is not None
        given = list(offsets or ())
        self.offsets: list[int | None] = (given + [None] * len(STREAMS))[: len(STREAMS)]
        self.watcher = watcher
        self.pid: tuple[int, str] | None = None


class SftpFollower:
    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.jobs: dict[str, Watched] = {}
        self.closed = asyncio.Event()
        self.mode = "sftp"
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="drs-sftp-follower")

    def watch(self, job_id: str, directory: str, offsets: Offsets | None, w: Watcher) -> None:
        self.jobs[job_id] = Watched(directory, offsets, w)
        self._wake.set()

    def unwatch(self, job_id: str) -> None:
        watched = self.jobs.pop(job_id, None)
        if watched is not None:
            for stream in STREAMS:
                self.remote.forget(f"{watched.directory}/{stream}")

    async def _run(self) -> None:
        interval = POLL_MIN
        next_liveness = time.monotonic() + LIVENESS_EVERY
        try:
            while True:
                got = 0
                for job_id, watched in list(self.jobs.items()):
                    got += await self._poll(job_id, watched)
                if time.monotonic() >= next_liveness:
                    next_liveness = time.monotonic() + LIVENESS_EVERY
                    await self._check_liveness()
                interval = POLL_MIN if got else min(POLL_MAX, interval * 1.5)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), interval)
        except (OSError, asyncssh.Error) as exc:
            log.info("SFTP follower: connection problem: %s", exc)
        finally:
            self.close()

    async def _poll(self, job_id: str, watched: Watched) -> int:
        d = watched.directory
        code = parse_int(await self.remote.read_file(f"{d}/exit_code"))
        got = 0
        for index, stream in enumerate(STREAMS if watched.data else ()):
            while (offset := watched.offsets[index]) is not None:
                data = await self.remote.read_at(f"{d}/{stream}", offset, READ_SIZE)
                if data:
                    watched.watcher.on_data(index, offset, data)
                    watched.offsets[index] = offset + len(data)
                    got += len(data)
                # After the exit code, only an empty read proves the end of the file.
                if not data or (code is None and len(data) < READ_SIZE):
                    break
        if code is not None:
            self.unwatch(job_id)
            watched.watcher.on_exit(code)
        return got

    async def _check_liveness(self) -> None:
        pids: dict[int, tuple[str, str]] = {}
        for job_id, watched in self.jobs.items():
            if watched.pid is None:
                raw = await self.remote.read_file(f"{watched.directory}/pid")
                if raw is None:
                    if await self.remote.read_file(f"{watched.directory}/pgid") is None:
                        self.unwatch(job_id)
                        watched.watcher.on_gone("the job directory vanished")
                    continue
                parts = raw.decode(errors="replace").split()
                with contextlib.suppress(ValueError, IndexError):
                    watched.pid = (int(parts[0]), parts[1] if len(parts) > 1 else "")
            if watched.pid is not None:
                pids[watched.pid[0]] = (job_id, watched.pid[1])
        if not pids:
            return
        result = await self.remote.run(
            liveness_script([(pid, start) for pid, (_, start) in pids.items()])
        )
        for line in result.stdout.split():
            job_id = pids[int(line)][0] if int(line) in pids else ""
            dead = self.jobs.get(job_id)
            if dead is None:
                continue
            await self._poll(job_id, dead)  # the code may have been written just now
            if job_id in self.jobs:
                self.unwatch(job_id)
                dead.watcher.on_gone(
                    f"the job's wrapper process (pid {int(line)}) is gone without an exit "
                    "code (host rebooted, or the process was killed)"
                )

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        if self._task is not asyncio.current_task():
            self._task.cancel()
        jobs, self.jobs = self.jobs, {}
        for watched in jobs.values():
            watched.watcher.on_lost("the SFTP follower's connection ended")
