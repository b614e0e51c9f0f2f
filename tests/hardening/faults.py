"""Faults the chaos scenarios inject, and what they share: jobs that print numbered
lines, websocket clients that follow them through any disconnect, exact-log checks.

Services are the private ones `tests/hardening/chaos.py` started (never the machine's)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job, LogChunk

# --- private services (started by chaos.py) ---------------------------------------------------
from tests.hardening.chaos import start_redis, stop_redis  # noqa: F401 — used by tests


def restart_postgres(down_seconds: float) -> None:
    """Stop the private cluster (fast: backends are cut), stay down, start it again."""
    from tests.hardening.chaos import pg_bin

    data = str(Path(os.environ["DRS_CHAOS_PG_DIR"]) / "data")
    log = str(Path(os.environ["DRS_CHAOS_PG_DIR"]) / "log")
    pg_ctl = ["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D", data, "-w"]
    subprocess.run([*pg_ctl, "-m", "fast", "stop"], check=True, capture_output=True)
    time.sleep(down_seconds)
    subprocess.run([*pg_ctl, "-l", log, "start"], check=True, capture_output=True)


def wait_port(port: int, host: str = "127.0.0.1", timeout: float = 20) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, port), 1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# --- jobs ------------------------------------------------------------------------------------


def numbered_program(lines: int, interval: float, start_file: str = "") -> str:
    """Prints `lines` numbered lines, one every `interval` s (after `start_file` exists)."""
    wait = (
        f"while not os.path.exists({start_file!r}):\n    time.sleep(0.05)\n" if start_file else ""
    )
    return (
        "import os, sys, time\n" + wait + f"for i in range({lines}):\n"
        "    sys.stdout.write(f'{i:06d} the quick brown fox jumps over the lazy dog\\n')\n"
        "    sys.stdout.flush()\n"
        f"    time.sleep({interval})\n"
    )


def expected_output(lines: int) -> bytes:
    return b"".join(
        f"{i:06d} the quick brown fox jumps over the lazy dog\n".encode() for i in range(lines)
    )


def submit(api: Any, server: Any, credential: Any, program: str, **extra: Any) -> str:
    body = {
        "server": server.pk,
        "credential": credential.pk,
        "interpreter": server.interpreters.get(name="python3").pk,
        "program": program,
    } | extra
    resp = api.post("/api/jobs/", body, format="json")
    assert resp.status_code == 201, resp.json()
    return str(resp.json()["id"])


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def all_running(ids: list[str]) -> bool:
    return Job.objects.filter(pk__in=ids, status="running").count() == len(ids)


def all_ended(ids: list[str]) -> bool:
    return Job.objects.filter(pk__in=ids, status__in=TERMINAL_STATUSES).count() == len(ids)


def stored_log(job_id: str, stream: str = "stdout") -> bytes:
    rows = LogChunk.objects.filter(job_id=job_id, stream=stream).order_by("seq")
    return b"".join(bytes(data) for data in rows.values_list("data", flat=True))


def stored_gaps_and_repeats(job_id: str) -> tuple[int, int]:
    """Holes and overlaps in the stored byte offsets of each stream."""
    gaps = repeats = 0
    for stream in ("stdout", "stderr"):
        at = 0
        for offset, size in (
            LogChunk.objects.filter(job_id=job_id, stream=stream)
            .order_by("seq")
            .values_list("offset", "data")
        ):
            gaps += offset > at
            repeats += offset < at
            at = offset + len(bytes(size))
    return gaps, repeats


# --- websocket followers ----------------------------------------------------------------------


@dataclass
class Follower:
    """Follows one job's log like the client in docs/api.md: resume with `after=<last seq>`."""

    base: str
    job_id: str
    token: str
    seqs: list[int] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    connects: int = 0
    end: dict[str, Any] | None = None

    async def run(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.2
        while self.end is None and time.monotonic() < deadline:
            after = self.seqs[-1] if self.seqs else 0
            url = f"{self.base}/ws/jobs/{self.job_id}/logs/?after={after}"
            try:
                async with websockets.connect(
                    url,
                    additional_headers={"Authorization": f"Token {self.token}"},
                    max_size=None,
                    open_timeout=20,
                ) as ws:
                    self.connects += 1
                    delay = 0.2
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] == "end":
                            self.end = message
                            return
                        if message["type"] == "log":
                            self.seqs.append(int(message["seq"]))
                            if message["stream"] == "stdout":
                                self.data.append(message["data"])
            except (
                OSError, TimeoutError, EOFError, websockets.ConnectionClosed,
                websockets.InvalidHandshake,  # refused, or a broken answer while Redis is down
            ):  # fmt: skip
                pass
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2)

    def gaps_and_duplicates(self) -> tuple[int, int]:
        gaps = duplicates = 0
        last = 0
        for seq in self.seqs:
            if seq <= last:
                duplicates += 1
                continue
            gaps += seq - last - 1
            last = seq
        return gaps, duplicates

    def stdout(self) -> bytes:
        return "".join(self.data).encode()


def follow_all(followers: list[Follower], timeout: float, during: Callable[[], None]) -> None:
    """Run the followers while `during()` runs in a thread (the fault), until all ended."""

    async def main() -> None:
        tasks = [asyncio.create_task(f.run(timeout)) for f in followers]
        await asyncio.to_thread(during)
        await asyncio.gather(*tasks)

    asyncio.run(main())
