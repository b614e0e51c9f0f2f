"""Shared pieces of the measures: percentiles, following a job's log (websocket or REST),
turning timestamped lines into latencies, waiting for jobs, sampling memory."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psutil

from bench.env import BenchEnv, log
from bench.memsample import memory_of

TERMINAL = {"succeeded", "failed", "cancelled", "timed_out", "lost"}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def dist(values: list[float], scale: float = 1000.0) -> dict[str, Any]:
    """p50/p95/p99/max of VALUES (seconds) in ms."""
    out: dict[str, Any] = {"n": len(values)}
    for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        v = percentile(values, q)
        out[name] = None if v is None else round(v * scale, 2)
    return out


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@dataclass
class LineClock:
    """Reassembles stdout from chunks (a chunk may end mid-line) and yields, for every
    complete `L <i> <time_ns> ...` line, arrival - written."""

    buffer: str = ""
    latencies: list[float] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)  # each latency's line number
    t0: int | None = None
    lines: int = 0

    def feed(self, data: str, arrival: float) -> None:
        self.buffer += data
        if "\n" not in self.buffer:
            return
        *complete, self.buffer = self.buffer.split("\n")
        for line in complete:
            parts = line.split(" ", 3)
            if parts[0] == "L" and len(parts) >= 3:
                self.latencies.append(arrival - int(parts[2]) / 1e9)
                self.indexes.append(int(parts[1]))
                self.lines += 1
            elif parts[0] == "T0" and len(parts) >= 2:
                self.t0 = int(parts[1])


@dataclass
class WsFollow:
    job_id: str
    clock: LineClock = field(default_factory=LineClock)
    connected: bool = False
    ended: bool = False
    error: str = ""
    messages: int = 0
    last_seq: int = 0
    handshake_retries: int = 0


async def follow_ws(
    env: BenchEnv, follow: WsFollow, seconds: float, gate: asyncio.Semaphore | None = None
) -> None:
    """Follow /ws/jobs/<id>/logs/ until the `end` message (or timeout), timing each line.

    GATE bounds the handshakes in flight: a thousand at once would each wait behind the
    others' database checks past daphne's 5 s handshake timeout. A refused or dropped
    handshake is retried (a client reconnects); `?after=0` replays anything missed."""
    import websockets

    assert env.api is not None
    url = f"{env.ws_base}/ws/jobs/{follow.job_id}/logs/?after=0"
    try:
        async with asyncio.timeout(seconds):
            for attempt in range(5):
                try:
                    async with gate or contextlib.nullcontext():
                        ws = await websockets.connect(
                            url,
                            additional_headers={"Authorization": f"Token {env.api.token}"},
                            max_size=None,
                            open_timeout=30,
                        )
                    break
                except (websockets.InvalidHandshake, OSError, TimeoutError) as exc:
                    follow.handshake_retries += 1
                    if attempt == 4:
                        raise
                    log(f"websocket handshake for {follow.job_id} failed ({exc}); retrying")
                    await asyncio.sleep(0.5 * (attempt + 1))
            async with ws:
                follow.connected = True
                async for raw in ws:
                    now = time.time()
                    msg = json.loads(raw)
                    follow.messages += 1
                    if msg.get("type") == "log":
                        if msg["seq"] != follow.last_seq + 1:
                            follow.error = f"seq {msg['seq']} after {follow.last_seq}"
                        follow.last_seq = msg["seq"]
                        if msg["stream"] == "stdout":
                            follow.clock.feed(msg["data"], now)
                    elif msg.get("type") == "end":
                        follow.ended = True
                        return
    except TimeoutError:
        follow.error = follow.error or "timed out before the end message"
    except Exception as exc:  # a refused handshake, a dropped socket: report, don't crash
        follow.error = f"{type(exc).__name__}: {exc}"


def persisted_clocks(env: BenchEnv, ids: list[str]) -> dict[str, LineClock]:
    """The same line latencies, with the chunk's persist time (LogChunk.time, set by the
    runner just before its commit) as arrival: the runner's share of the latency. Read
    straight from the database in one query (a REST page per job is slow at 1,000 jobs;
    the REST log reads are P6's business)."""
    clocks = {job_id: LineClock() for job_id in ids}
    with env.db() as conn:
        rows = conn.execute(
            "SELECT job_id::text, data, extract(epoch FROM time) FROM jobs_logchunk "
            "WHERE job_id = ANY(%s::uuid[]) AND stream = 'stdout' ORDER BY job_id, seq",
            (ids,),
        )
        for job_id, data, at in rows:
            clocks[job_id].feed(bytes(data).decode(errors="replace"), float(at))
    return clocks


def persisted_clock(env: BenchEnv, job_id: str) -> LineClock:
    return persisted_clocks(env, [job_id])[job_id]


def wait_jobs(env: BenchEnv, ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    """Poll until every job is terminal (or timeout); returns the last detail of each
    (through the API when few, else the status alone: one query per poll)."""
    assert env.api is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not sum(n for s, n in status_counts(env, ids).items() if s not in TERMINAL):
            break
        time.sleep(0.05 if len(ids) <= 2 else 0.25)
    if len(ids) > 20:
        with env.db() as conn:
            rows = conn.execute(
                "SELECT id::text, status FROM jobs_job WHERE id = ANY(%s::uuid[])", (ids,)
            ).fetchall()
        return {job_id: {"id": job_id, "status": status} for job_id, status in rows}
    return {job_id: env.api.get(f"/api/jobs/{job_id}/") for job_id in ids}


def status_counts(env: BenchEnv, ids: list[str]) -> dict[str, int]:
    with env.db() as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM jobs_job WHERE id = ANY(%s::uuid[]) GROUP BY status",
            (ids,),
        ).fetchall()
    return {status: n for status, n in rows}


def memory(env: BenchEnv) -> dict[str, Any]:
    """Memory of every DRS process, MiB (see `memsample.memory_of`)."""
    totals, _ = memory_of(env.app_processes())
    return totals


KINDS = ("runners", "daphne", "scheduler", "supervisors")


def process_kind(proc: psutil.Process) -> str:
    """`runners` (manage.py runner), `daphne`, `scheduler` (the django-q2 processes) or
    `supervisors` (manage.py serve and manage.py workers)."""
    cmd = " ".join(proc.cmdline())
    if "daphne" in cmd:
        return "daphne"
    if "manage.py runner" in cmd:
        return "runners"
    if "manage.py tasks" in cmd or "qcluster" in cmd or "multiprocessing" in cmd:
        return "scheduler"
    return "supervisors"


def cpu_by_kind(env: BenchEnv) -> dict[int, tuple[str, float]]:
    """pid -> (kind, CPU seconds so far) for every DRS process (kinds: `process_kind`)."""
    out: dict[int, tuple[str, float]] = {}
    for proc in env.app_processes():
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            out[proc.pid] = (process_kind(proc), t.user + t.system)
    return out


def cpu_delta(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """CPU seconds per kind between two snapshots, over processes present in both."""
    out = dict.fromkeys(KINDS, 0.0)
    for pid, (kind, seconds) in after.items():
        if pid in before:
            out[kind] += seconds - before[pid][1]
    return out


def tree_cpu(root_pid: int | None) -> dict[int, float]:
    """CPU seconds per process of ROOT_PID and its descendants; compare two snapshots by
    pid (`cpu_sum_delta`), so processes that come and go do not count."""
    out: dict[int, float] = {}
    if not root_pid:
        return out
    try:
        root = psutil.Process(root_pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return out
    for p in procs:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
    return out


def cpu_sum_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after[pid] - before[pid] for pid in after if pid in before)


def machine_busy() -> tuple[float, float]:
    """(busy CPU seconds, total CPU seconds) of the whole machine so far: other users'
    load shows here, so a reader can tell a quiet run from a contended one."""
    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    total = sum(t)
    return total - idle, total


def cpu_groups(env: BenchEnv) -> dict[str, Any]:
    """A snapshot for `cpu_split`: the machine's busy CPU seconds and the process trees
    of DRS and of its PostgreSQL cluster."""
    return {
        "machine": machine_busy()[0],
        "drs": tree_cpu(env.app.pid if env.app else None),
        "postgres": tree_cpu(env.pg.postmaster_pid() if env.pg else None),
    }


def cpu_split(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    """CPU seconds between two `cpu_groups` snapshots per group; `host` is the rest of
    the machine's busy time: the sshd side (sessions, agents, the job itself, which its
    agent reaps later), the kernel's own threads, the bench client."""
    out = {k: cpu_sum_delta(before[k], after[k]) for k in ("drs", "postgres")}
    out["machine"] = after["machine"] - before["machine"]
    out["host"] = out["machine"] - out["drs"] - out["postgres"]
    return {k: round(v, 2) for k, v in out.items()}
