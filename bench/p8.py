"""P8: jobs under Slurm, on a real single-node cluster (tests/fixtures/slurm.py) reached
through its own sshd (sessions get `SLURM_CONF` and a PATH whose `squeue` and `sacct`
log each call before running the real one), side by side in the same run:

- start: submit → the program's first statement on an idle node, DRS (POST /api/jobs/)
  against raw `sbatch` of the same program over an open asyncssh connection (the
  program's own start included in both), pairs interleaved, the node idle before each;
- visible: the same DRS jobs' `pending → running` frame received by a `/ws/jobs/` client
  against the program's own first statement (a wall-clock timestamp);
- polling: with many DRS jobs pending behind a job holding the node, `squeue` calls per
  SSH connection (the wrapper's log, by `SSH_CONNECTION`), with `sdiag`'s count of job
  info requests at the controller as a cross-check.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import shlex
import statistics
import time
from pathlib import Path
from typing import Any

import asyncssh

from bench import programs
from bench.common import dist, epoch, percentile, status_counts, wait_jobs
from bench.env import PYTHON, BenchEnv, log
from bench.latency import submit_many
from drs.runner.ciphers import ENCRYPTION_ALGS
from tests.fixtures.slurm import CPUS, Slurm
from tests.fixtures.sshd import Sshd

# Logs `<epoch> <command> <SSH_CONNECTION>` for every call, then runs the real command.
WRAPPER = """\
#!/bin/sh
printf '%s {name} %s\\n' "$(date +%s.%N)" "${{SSH_CONNECTION:-local}}" >> {log}
exec /usr/bin/{name} "$@"
"""
WRAPPED = ("squeue", "sacct")
# Every poll interval DRS uses while all of a connection's jobs wait is at most this.
POLL_GOAL_SECONDS = 5.0


class SlurmSide:
    """The cluster, its sshd, the call log, and DRS's server and credential for it."""

    def __init__(self, env: BenchEnv) -> None:
        self.env = env
        self.dir = env.dir / "p8"
        self.dir.mkdir(exist_ok=True)
        self.dir.chmod(0o755)
        self.calls = self.dir / "calls.log"
        self.calls.touch()
        self.calls.chmod(0o666)  # appended to by the SSH user's sessions
        bin_dir = self.dir / "bin"
        bin_dir.mkdir(exist_ok=True)
        bin_dir.chmod(0o755)
        for name in WRAPPED:
            path = bin_dir / name
            path.write_text(WRAPPER.format(name=name, log=shlex.quote(str(self.calls))))
            path.chmod(0o755)
        # batch_sched_delay=0: Slurm tries to start a batch job when it is submitted, not
        # up to 3 s later (its default, meant for clusters flooded with submissions), so
        # its own start time is ~1 s and steady rather than 2-3 s in two modes, and DRS's
        # share of the start shows.
        self.cluster = Slurm(
            self.dir / "cluster", scheduler_parameters="sched_interval=5,batch_sched_delay=0"
        )
        self.sshd = Sshd(
            self.dir / "sshd",
            set_env={
                "SLURM_CONF": str(self.cluster.conf),
                "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            },
        )
        self.server_id = self.credential_id = 0
        # Under the bench's own jobs directory: its cleanup removes these too.
        self.jobs_directory = f"{env.jobs_directory}/slurm"

    @property
    def raw_dir(self) -> Path:
        """The raw baseline's script and outputs (made by the SSH user, over SSH)."""
        return self.sshd.key_user.home / self.env.jobs_directory / "slurm-raw"

    def start(self) -> SlurmSide:
        self.cluster.start()
        self.sshd.start()
        log(f"P8: Slurm (slurmctld :{self.cluster.ctld_port}), sshd :{self.sshd.port}")
        api = self.env.api
        assert api is not None
        server = api.post(
            "/api/servers/",
            {
                "name": "bench-slurm",
                "hostname": self.sshd.host,
                "port": self.sshd.port,
                "host_key": self.sshd.host_key,
                "interpreters": [self.env.interpreter_id],
                "max_concurrent_jobs": 10_000,
                "jobs_directory": self.jobs_directory,
                "scheduler": "slurm",
            },
        )
        cred = api.post(
            "/api/credentials/",
            {
                "server": server["id"],
                "name": "bench slurm key",
                "username": self.sshd.key_user.name,
                "kind": "key",
                "private_key": self.sshd.key_user.private_key,
            },
        )
        self.server_id, self.credential_id = server["id"], cred["id"]
        return self

    def stop(self) -> None:
        for step in (self.cluster.stop, self.sshd.stop):
            try:
                step()
            except Exception as exc:  # cleanup goes on
                log(f"P8 cleanup: {exc}")

    def body(self, program: str, args: list[str], title: str) -> dict[str, Any]:
        return self.env.job_body(
            program, args, title, server=self.server_id, credential=self.credential_id
        )

    async def connect(self) -> asyncssh.SSHClientConnection:
        """Same options as drs.runner.ssh.open_connection (bench/raw.py), to this sshd."""
        key = asyncssh.import_public_key(self.sshd.host_key)
        return await asyncssh.connect(
            self.sshd.host, self.sshd.port, username=self.sshd.key_user.name,
            client_keys=[asyncssh.import_private_key(self.sshd.key_user.private_key)],
            known_hosts=([key], [], []), server_host_key_algs=[key.get_algorithm()],
            agent_path=None, password=None, config=None, client_host_keys=None,
            keepalive_interval=5, encryption_algs=ENCRYPTION_ALGS,
        )  # fmt: skip

    def busy(self) -> bool:
        """Any job not yet ended."""
        out = self.cluster.run("squeue", "-h", "-o", "%T").stdout.split()
        return any(state not in ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT") for state in out)

    async def wait_idle(self) -> None:
        """Until no job is queued or running and the node is idle again (at most 60 s)."""
        timeout = 60.0
        deadline = time.monotonic() + timeout
        while await asyncio.to_thread(self.busy):
            if time.monotonic() > deadline:
                raise RuntimeError("P8: the Slurm queue did not empty")
            await asyncio.sleep(0.05)
        await asyncio.to_thread(self.cluster.wait_idle, timeout)

    def job_info_rpcs(self) -> int:
        """The controller's count of job info requests (squeue's RPC), from sdiag."""
        text = self.cluster.run("sdiag").stdout
        match = re.search(r"^\s*REQUEST_JOB_INFO\s.*?count:(\d+)", text, re.MULTILINE)
        return int(match.group(1)) if match else 0

    def read_calls(self, since: float, until: float) -> list[tuple[float, str, str]]:
        """(time, command, connection) of the wrapped calls made over SSH in a window."""
        out = []
        for line in self.calls.read_text().splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and since <= float(parts[0]) <= until:
                out.append((float(parts[0]), parts[1], parts[2]))
        return out


class StatusListener:
    """A `/ws/jobs/` client: when each job's status first arrived, by status."""

    def __init__(self, env: BenchEnv) -> None:
        self.env = env
        self.seen: dict[str, dict[str, float]] = {}
        self.task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    async def start(self) -> None:
        self.task = asyncio.create_task(self.run())
        await asyncio.wait_for(self.ready.wait(), 30)

    async def run(self) -> None:
        import websockets

        assert self.env.api is not None
        async with websockets.connect(
            f"{self.env.ws_base}/ws/jobs/",
            additional_headers={"Authorization": f"Token {self.env.api.token}"},
            max_size=None,
        ) as ws:
            self.ready.set()
            async for raw in ws:
                now = time.time()
                msg = json.loads(raw)
                if msg.get("type") == "job":
                    job = msg["job"]
                    self.seen.setdefault(str(job["id"]), {}).setdefault(job["status"], now)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task


def _t0(text: str) -> int:
    first = text.split("\n", 1)[0].split()
    if len(first) < 2 or first[0] != "T0":
        raise ValueError(f"no T0 line in {text[:80]!r}")
    return int(first[1])


async def _raw_once(side: SlurmSide, conn: asyncssh.SSHClientConnection, i: int) -> float:
    """sbatch of the START program over the open connection; seconds from the exec to the
    program's own T0 (read from its output file: the sshd is on this machine)."""
    out = side.raw_dir / f"out-{i}"
    t = time.time_ns()
    result = await conn.run(
        f"sbatch --parsable --output={shlex.quote(str(out))} {side.raw_dir / 'batch.sh'}",
        check=True,
    )
    assert str(result.stdout).strip().split(";")[0].isdigit(), result.stdout
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            return (_t0(out.read_text()) - t) / 1e9
        await asyncio.sleep(0.002)
    raise RuntimeError(f"P8: the raw sbatch job wrote no T0 to {out}")


async def _drs_once(side: SlurmSide, listener: StatusListener) -> dict[str, Any]:
    env = side.env
    assert env.api is not None
    t = time.time_ns()
    job = await asyncio.to_thread(
        env.api.post, "/api/jobs/", side.body(programs.START, [], "p8 start")
    )
    detail = (await asyncio.to_thread(wait_jobs, env, [job["id"]], 60))[job["id"]]
    if detail["status"] != "succeeded":
        raise RuntimeError(f"P8 job {job['id']} ended {detail['status']}: {detail.get('error')}")
    page = await asyncio.to_thread(env.api.get, f"/api/jobs/{job['id']}/logs/", after=0, limit=1)
    t0 = _t0(page["results"][0]["data"])
    seen = listener.seen.get(str(job["id"]), {})
    started = detail.get("started_at")
    return {
        "submit_to_start": (t0 - t) / 1e9,
        # None: the running frame never came (the job was seen ending first)
        "running_visible": seen["running"] - t0 / 1e9 if "running" in seen else None,
        # the runner's share: the job's start recorded in the database (started_at)
        "running_recorded": epoch(started) - t0 / 1e9 if started else None,
        "scheduler_job_id": detail.get("scheduler_job_id", ""),
    }


async def _start_pairs(side: SlurmSide, samples: int) -> dict[str, Any]:
    listener = StatusListener(side.env)
    await listener.start()
    script = f"#!/bin/sh\nexec {PYTHON} -u -c {shlex.quote(programs.START)}\n"
    drs: list[dict[str, Any]] = []
    raw: list[float] = []
    try:
        async with await side.connect() as conn:
            raw_dir = shlex.quote(str(side.raw_dir))
            await conn.run(
                f"mkdir -p {raw_dir} && cat > {raw_dir}/batch.sh && chmod 755 {raw_dir}/batch.sh",
                input=script,
                check=True,
            )
            # Warm both sides (DRS's pool and follower agent; Slurm's first launch).
            await side.wait_idle()
            await _raw_once(side, conn, -1)
            await side.wait_idle()
            await _drs_once(side, listener)
            for i in range(samples):
                for which in ("raw", "drs") if i % 2 == 0 else ("drs", "raw"):
                    await side.wait_idle()
                    if which == "raw":
                        raw.append(await _raw_once(side, conn, i))
                    else:
                        drs.append(await _drs_once(side, listener))
                log(
                    f"P8 pair {i + 1}/{samples}: DRS {drs[-1]['submit_to_start'] * 1000:.0f} ms,"
                    f" raw sbatch {raw[-1] * 1000:.0f} ms"
                )
    finally:
        await listener.stop()
    drs_start = [d["submit_to_start"] for d in drs]
    visible = [d["running_visible"] for d in drs if d["running_visible"] is not None]
    recorded = [d["running_recorded"] for d in drs if d["running_recorded"] is not None]
    # Judged on the means, robust to a start time in modes (Slurm's default
    # batch_sched_delay gives two, a second apart: a median falls between them); the
    # interleaving puts as many of each side's jobs first in their pair as second.
    drs_mean, raw_mean = statistics.mean(drs_start), statistics.mean(raw)
    allowed = 1.2 * raw_mean + 0.020
    p99 = percentile(visible, 99)
    return {
        "pairs": samples,
        "drs_submit_to_start_ms": _dist(drs_start),
        "raw_sbatch_to_start_ms": _dist(raw),
        "ratio_mean": round(drs_mean / raw_mean, 3),
        "ratio_p50": round(statistics.median(drs_start) / statistics.median(raw), 3),
        "allowed_mean_ms": _ms(allowed),
        "start_goal": "DRS mean <= 1.2 x raw sbatch mean + 20 ms",
        "start_goal_met": drs_mean <= allowed,
        "running_visible_ms": dist(visible),
        "running_recorded_ms": dist(recorded),
        "running_frames_missing": len(drs) - len(visible),
        "visible_goal": "pending → running at a /ws/jobs/ client <= 100 ms after the "
        "program's first statement (p99)",
        "visible_goal_met": (
            None
            if len(visible) < 40
            else (p99 is not None and p99 <= 0.1 and len(visible) == len(drs))
        ),
        "scheduler_job_ids_set": all(d["scheduler_job_id"] for d in drs),
    }


def _dist(values: list[float]) -> dict[str, Any]:
    return dist(values) | {
        "p90": _ms(percentile(values, 90)),
        "min": _ms(min(values)),
        "mean": _ms(statistics.mean(values)),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


async def _polling(side: SlurmSide, jobs: int, window: float) -> dict[str, Any]:
    env = side.env
    assert env.api is not None
    await side.wait_idle()
    async with await side.connect() as conn:
        # A job on every CPU of the node: everything after it waits (Resources/Priority).
        blocker = (
            await conn.run(
                f"sbatch --parsable --output=/dev/null -c {CPUS} --wrap 'sleep 3600'",
                check=True,
            )
        ).stdout
        blocker_id = str(blocker).strip().split(";")[0]
        try:
            return await _count_polls(side, jobs, window)
        finally:
            await conn.run(f"scancel {shlex.quote(blocker_id)}")


async def _count_polls(side: SlurmSide, jobs: int, window: float) -> dict[str, Any]:
    env = side.env
    assert env.api is not None
    t_submit = time.time()
    ids = await asyncio.to_thread(
        submit_many, env, programs.START, [], jobs, "p8 pending",
        server=side.server_id, credential=side.credential_id,
    )  # fmt: skip
    deadline = time.monotonic() + 120 + jobs
    while True:
        counts = await asyncio.to_thread(status_counts, env, ids)
        if counts.get("pending", 0) == jobs:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"P8: not all {jobs} jobs pending: {counts}")
        await asyncio.sleep(0.5)
    all_pending = time.time()
    log(f"P8: {jobs} jobs pending after {all_pending - t_submit:.1f} s; backing off")
    # The back-off after the last submission (1 + 2 + 3 + 5 s), then the window.
    await asyncio.sleep(12)
    rpc0, w0 = side.job_info_rpcs(), time.time()
    await asyncio.sleep(window)
    w1, rpc1 = time.time(), side.job_info_rpcs()
    counts = await asyncio.to_thread(status_counts, env, ids)
    calls = side.read_calls(w0, w1)
    per_conn: dict[str, list[float]] = {}
    for at, name, connection in calls:
        if name == "squeue":
            per_conn.setdefault(connection, []).append(at)
    gaps = [b - a for times in per_conn.values() for a, b in itertools.pairwise(times)]
    ramp = side.read_calls(t_submit, w0)
    log(f"P8: cancelling the {jobs} pending jobs")
    for job_id in ids:
        with contextlib.suppress(RuntimeError):
            await asyncio.to_thread(env.api.post, f"/api/jobs/{job_id}/cancel/", {})
    ended = await asyncio.to_thread(wait_jobs, env, ids, 120 + jobs)
    statuses: dict[str, int] = {}
    for d in ended.values():
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    # Calls per connection per 5 s, from the mean gap between a connection's calls (a
    # count over a window can hold one call more than its length allows: both ends); a
    # connection that called once in the window: its count over the window.
    rates = [
        POLL_GOAL_SECONDS * (len(t) - 1) / (t[-1] - t[0])
        if len(t) >= 2 and t[-1] > t[0]
        else POLL_GOAL_SECONDS * len(t) / (w1 - w0)
        for t in per_conn.values()
    ]
    per_5s = max(rates) if rates else None
    worst_window = (
        max((len(t) for t in per_conn.values()), default=0) * POLL_GOAL_SECONDS / (w1 - w0)
    )
    return {
        "pending_jobs": jobs,
        "all_pending_after_s": round(all_pending - t_submit, 1),
        "statuses_during_window": counts,
        "window_s": round(w1 - w0, 1),
        "connections": len(per_conn),
        "squeue_calls": sum(len(t) for t in per_conn.values()),
        "squeue_calls_by_connection": sorted(len(t) for t in per_conn.values()),
        "sacct_calls": sum(1 for c in calls if c[1] == "sacct"),
        "squeue_gap_s": {
            "min": round(min(gaps), 2) if gaps else None,
            "mean": round(statistics.mean(gaps), 2) if gaps else None,
        },
        "squeue_per_connection_per_5s": round(per_5s, 3) if per_5s is not None else None,
        "squeue_per_connection_per_5s_by_count": round(worst_window, 3),
        "sdiag_job_info_rpcs_in_window": rpc1 - rpc0,
        "calls_while_submitting": {
            "squeue": sum(1 for c in ramp if c[1] == "squeue"),
            "sacct": sum(1 for c in ramp if c[1] == "sacct"),
            "seconds": round(w0 - t_submit, 1),
        },
        "statuses_after_cancel": statuses,
        "goal": f"<= 1 squeue per connection per {POLL_GOAL_SECONDS:g} s while every job waits",
        "goal_met": per_5s is not None and per_5s <= 1.0 and counts.get("pending", 0) == jobs,
    }


def p8_slurm(env: BenchEnv, *, samples: int, pending_jobs: int, window: float) -> dict[str, Any]:
    env.start_app()
    side = SlurmSide(env)
    try:
        side.start()
        start = asyncio.run(_start_pairs(side, samples))
        log(
            f"P8: submit → start p50 DRS {start['drs_submit_to_start_ms']['p50']} ms vs raw "
            f"sbatch {start['raw_sbatch_to_start_ms']['p50']} ms; running visible p50/p99 "
            f"{start['running_visible_ms']['p50']}/{start['running_visible_ms']['p99']} ms"
        )
        polling = asyncio.run(_polling(side, pending_jobs, window))
        log(
            f"P8: {pending_jobs} pending: {polling['squeue_calls']} squeue calls on "
            f"{polling['connections']} connections in {polling['window_s']} s "
            f"({polling['squeue_per_connection_per_5s']} per connection per 5 s)"
        )
    finally:
        side.stop()
    judged = [start["start_goal_met"], polling["goal_met"]]
    if start["visible_goal_met"] is not None:
        judged.append(start["visible_goal_met"])
    return {
        "start": start,
        "polling": polling,
        "goal": "submit → start <= 1.2x raw sbatch + 20 ms; running visible p99 <= 100 ms "
        "(40 jobs); <= 1 squeue per connection per 5 s with jobs pending",
        "goal_met": all(judged),
    }
