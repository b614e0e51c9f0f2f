"""N concurrent jobs printing timestamped lines at a fixed rate, each followed by its own
websocket client: the engine of P1 (latency) and P4 (concurrency)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

from bench import programs
from bench.common import (
    LineClock,
    WsFollow,
    cpu_by_kind,
    cpu_delta,
    cpu_sum_delta,
    dist,
    follow_ws,
    machine_busy,
    memory,
    persisted_clocks,
    status_counts,
    tree_cpu,
    wait_jobs,
)
from bench.env import BenchEnv, log
from bench.profile import profiling


class LayerTap:
    """Joins each job's log group on the channel layer itself, as a consumer does: the
    arrival time here is when the worker's publish reached subscribers, which splits the
    websocket latency into the worker's share and daphne's delivery."""

    def __init__(self, env: BenchEnv) -> None:
        from bench.env import REDIS_URL
        from drs.realtime.layer import PubSubChannelLayer

        self.layer = PubSubChannelLayer(
            hosts=[REDIS_URL], prefix=f"{env.redis_prefix}:channels", capacity=100_000
        )
        self.clocks: dict[str, LineClock] = {}
        self.tasks: list[asyncio.Task[None]] = []

    async def add(self, job_id: str) -> None:
        channel = await self.layer.new_channel()
        await self.layer.group_add(f"job.{job_id}.logs", channel)
        clock = self.clocks[job_id] = LineClock()
        self.tasks.append(asyncio.create_task(self._run(channel, clock)))

    async def _run(self, channel: str, clock: LineClock) -> None:
        while True:
            message = await self.layer.receive(channel)
            now = time.time()
            if message.get("type") == "log.chunk" and message.get("stream") == "stdout":
                clock.feed(bytes(message["data"]).decode(errors="replace"), now)

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(Exception):
            await self.layer.flush()


STALLED = 120


def ticker_run(
    env: BenchEnv, *, jobs: int, rate: float, duration: float, shell: bool = False
) -> dict[str, Any]:
    """SHELL: the jobs are `programs.SH_TICKER` in bash instead of Python's TICKER."""
    return asyncio.run(_ticker_run(env, jobs=jobs, rate=rate, duration=duration, shell=shell))


def submit_many(
    env: BenchEnv, program: str, args: list[str], count: int, title: str, **extra: Any
) -> list[str]:
    """Submit COUNT jobs, a few requests at a time (one API session per thread), in order;
    EXTRA goes into each body (another server and credential, say)."""
    from concurrent.futures import ThreadPoolExecutor

    from bench.env import Api

    assert env.api is not None
    token, base = env.api.token, env.api.base
    sessions: dict[int, Api] = {}

    def one(i: int) -> str:
        import threading

        api = sessions.get(threading.get_ident())
        if api is None:
            api = sessions[threading.get_ident()] = Api(base)
            api.token = token
            api.session.headers["Authorization"] = f"Token {token}"
        body = env.job_body(program, args, f"{title} {count}/{i}", **extra)
        return str(api.post("/api/jobs/", body)["id"])

    with ThreadPoolExecutor(max_workers=4 if count > 20 else 1) as pool:
        return list(pool.map(one, range(count)))


def host_side(env: BenchEnv) -> dict[str, Any]:
    """What the jobs' host holds now: processes of the test user (the jobs' wrappers and
    programs, its sshd sessions and agents) and sshd processes (one per connection and
    its privileged monitor), against the limits they would meet first."""
    assert env.sshd is not None
    user = env.sshd.key_user.name
    mine = sshd = 0
    for proc in psutil.process_iter(["username", "name"]):
        if proc.info["username"] == user:
            mine += 1
        if proc.info["name"] == "sshd":
            sshd += 1
    out: dict[str, Any] = {"user_processes": mine, "sshd_processes": sshd}
    for name, path in (
        ("pid_max", "/proc/sys/kernel/pid_max"),
        ("inotify_max_user_instances", "/proc/sys/fs/inotify/max_user_instances"),
    ):
        with contextlib.suppress(OSError, ValueError):
            out[name] = int(Path(path).read_text())
    out["processes_on_machine"] = len(psutil.pids())
    out["available_gib"] = round(psutil.virtual_memory().available / 2**30, 1)
    return out


async def _ticker_run(
    env: BenchEnv, *, jobs: int, rate: float, duration: float, shell: bool
) -> dict[str, Any]:
    go = env.go_file()
    if shell:
        program = programs.SH_TICKER
        args = programs.sh_ticker_args(str(go), duration, rate)
        extra = {"interpreter": env.shell_interpreter_id}
    else:
        program, args, extra = programs.TICKER, [str(go), str(duration), str(rate)], {}
    follows: list[WsFollow] = []
    tasks: list[asyncio.Task[None]] = []
    ready_timeout = 30 + 0.5 * jobs
    timeout = ready_timeout + duration + 120
    submit_started = time.time()
    tap: LayerTap | None = LayerTap(env)
    ids = await asyncio.to_thread(submit_many, env, program, args, jobs, "tick", **extra)
    submit_seconds = time.time() - submit_started
    gate = asyncio.Semaphore(8)
    for job_id in ids:
        follow = WsFollow(job_id)
        follows.append(follow)
        tasks.append(asyncio.create_task(follow_ws(env, follow, timeout, gate)))
        if tap is not None:
            try:
                await tap.add(job_id)
            except Exception as exc:  # the tap is diagnostics only
                log(f"channel-layer tap unavailable: {exc}")
                tap = None

    # Barrier: every job running and every websocket connected, then printing begins;
    # or STALLED seconds without one more job running (or, once all run, one more socket
    # connected): DRS stopped starting jobs, and the level is reported as it stands
    # instead of waiting out READY_TIMEOUT. (Sockets alone are no progress: they connect
    # whether or not their jobs run.)
    deadline = time.monotonic() + ready_timeout
    progress, progress_at = -1, time.monotonic()
    while time.monotonic() < deadline:
        counts = await asyncio.to_thread(status_counts, env, ids)
        running = counts.get("running", 0)
        connected = sum(f.connected or bool(f.error) for f in follows)
        if running == jobs and connected == jobs:
            break
        now_progress = running if running < jobs else jobs + connected
        if now_progress != progress:
            progress, progress_at = now_progress, time.monotonic()
        elif time.monotonic() - progress_at > STALLED:
            log(f"{jobs} jobs: no progress for {STALLED} s ({counts}, {connected} connected)")
            break
        await asyncio.sleep(0.2)
    ramp_seconds = time.time() - submit_started
    at_start = await asyncio.to_thread(status_counts, env, ids)
    # The programs poll for the go file every 0.1 s: give a thousand of them time to see it.
    start_at = time.time() + 1.0 + jobs / 500
    tmp = go.with_suffix(".tmp")
    tmp.write_text(f"{start_at:.6f}")
    tmp.chmod(0o644)
    tmp.rename(go)

    # Memory, sampled by another process while the lines flow (see memsample.py).
    samples_path = env.dir / f"mem-{go.name}.jsonl"
    sampler = subprocess.Popen(  # noqa: ASYNC220 (starts at once, never waited on here)
        [sys.executable, str(Path(__file__).with_name("memsample.py")),
         str(env.app.pid if env.app else 0), "3", str(samples_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    me = psutil.Process()
    cpu0, wall0, busy0 = cpu_by_kind(env), time.time(), machine_busy()
    client0 = sum(me.cpu_times()[:2])
    sshd_cpu0 = tree_cpu(env.sshd.proc.pid if env.sshd and env.sshd.proc else None)
    db_connections: list[int] = []

    async def count_connections() -> None:
        while True:
            db_connections.append(await asyncio.to_thread(env.db_connections))
            await asyncio.sleep(2.0)

    counter = asyncio.create_task(count_connections())
    with profiling(env, f"ticker-{jobs}x{rate:g}"):
        await asyncio.sleep(max(0.0, start_at + duration - time.time()))
    counter.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await counter
    cpu1, wall1, busy1 = cpu_by_kind(env), time.time(), machine_busy()
    client1 = sum(me.cpu_times()[:2])
    sshd_cpu1 = tree_cpu(env.sshd.proc.pid if env.sshd and env.sshd.proc else None)
    host = await asyncio.to_thread(host_side, env)  # the jobs linger a few seconds yet
    sampler.terminate()
    sampler.wait()
    samples = []
    if samples_path.exists():
        for line in samples_path.read_text().splitlines():
            sample = json.loads(line) if line.strip() else {}
            if sample and start_at + 1 < sample["time"] < start_at + duration:
                samples.append(sample)
    # Jobs that were not running when printing began may never run: wait for the others.
    ran = at_start.get("running", 0) == jobs
    details = await asyncio.to_thread(wait_jobs, env, ids, 60 + (jobs * 0.2 if ran else 0))
    # Every follower's `end` message, for a while at most (all at once: one by one, a
    # thousand stuck sockets would take hours).
    if tasks:
        await asyncio.wait(tasks, timeout=30)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    layer_lat: list[float] = []
    if tap is not None:
        await tap.stop()
        for clock in tap.clocks.values():
            layer_lat += clock.latencies
    window = max(1e-9, wall1 - wall0)
    cpu = cpu_delta(cpu0, cpu1)
    ws_lat: list[float] = []
    errors = [f.error for f in follows if f.error]
    expected = int(duration * rate)
    by_line: dict[int, list[float]] = {}
    for f in follows:
        ws_lat += f.clock.latencies
        for i, latency in zip(f.clock.indexes, f.clock.latencies, strict=True):
            by_line.setdefault(i, []).append(latency)
    persisted: list[float] = []
    t0s: list[int] = []
    for clock in (await asyncio.to_thread(persisted_clocks, env, ids)).values():
        persisted += clock.latencies
        if clock.t0 is not None:
            t0s.append(clock.t0)
    statuses: dict[str, int] = {}
    for d in details.values():
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    late = [t / 1e9 - start_at for t in t0s if t / 1e9 > start_at]
    result = {
        "jobs": jobs,
        "rate_lines_per_s": rate,
        "program": "bash" if shell else "python3",
        "duration_s": duration,
        "lines_expected": expected * jobs,
        "lines_ws": len(ws_lat),
        "lines_persisted": len(persisted),
        "ws_ms": dist(ws_lat),
        "persisted_ms": dist(persisted),
        # published: the worker's group_send reached a channel-layer subscriber
        "published_ms": dist(layer_lat),
        # p99 of each line number across the jobs: is the tail at the start or steady?
        "ws_p99_by_line_ms": [dist(by_line[i])["p99"] for i in sorted(by_line)],
        "ws_errors": len(errors),
        "ws_handshake_retries": sum(f.handshake_retries for f in follows),
        "ws_error_sample": errors[:3],
        "statuses": statuses,
        "not_running_at_start": {k: v for k, v in at_start.items() if k != "running"},
        "started_late": len(late),
        "max_start_delay_s": round(max(late), 2) if late else 0.0,
        # Sessions on the DRS database while the lines flowed (max of samples every 2 s)
        "db_connections": max(db_connections, default=0),
        "submit_s": round(submit_seconds, 2),
        "all_running_after_s": round(ramp_seconds, 2),
        "drs_cpu_cores": round(sum(cpu.values()) / window, 2),
        "runners_cpu_cores": round(cpu["runners"] / window, 2),
        "daphne_cpu_cores": round(cpu["daphne"] / window, 2),
        "other_drs_cpu_cores": round((cpu["scheduler"] + cpu["supervisors"]) / window, 2),
        # CPU cost per unit: robust to other load on the machine, unlike latency
        "runners_cpu_ms_per_job_second": round(1000 * cpu["runners"] / (window * jobs), 2),
        "daphne_cpu_ms_per_ws_message": round(
            1000 * cpu["daphne"] / max(1, sum(f.messages for f in follows)), 3
        ),
        # This bench process (websocket clients + channel-layer tap): if near 1 core, the
        # client itself limits the websocket figures.
        "bench_client_cpu_cores": round((client1 - client0) / window, 2),
        "machine_busy_fraction": round((busy1[0] - busy0[0]) / max(1e-9, busy1[1] - busy0[1]), 2),
        "load_avg_1m": round(os.getloadavg()[0], 1),
        # the remote side's SSH cost: sshd sessions and the follower agents under them
        "sshd_cpu_cores": round(cpu_sum_delta(sshd_cpu0, sshd_cpu1) / window, 2),
        "memory": max(samples, key=lambda s: s["pss_mib"]) if samples else memory(env),
        "host": host,
    }
    log(
        f"{jobs} jobs x {rate}/s: ws p50/p99 {result['ws_ms']['p50']}/{result['ws_ms']['p99']} ms, "
        f"persisted p50/p99 {result['persisted_ms']['p50']}/{result['persisted_ms']['p99']} ms, "
        f"published p50/p99 {result['published_ms']['p50']}/{result['published_ms']['p99']} ms, "
        f"lines ws {len(ws_lat)}/{expected * jobs}, statuses {statuses}, late {len(late)}"
    )
    return result
