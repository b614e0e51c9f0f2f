"""Raw SSH baselines against the same sshd, user and programs that DRS runs: what a bare
asyncssh client (or the OpenSSH CLI) achieves, measured in the same run."""

from __future__ import annotations

import asyncio
import math
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from bench.common import LineClock
from bench.env import PYTHON, BenchEnv, ssh_cli_args
from drs.runner.ciphers import ENCRYPTION_ALGS

# OpenSSH's default MaxSessions is 10 channels per connection (as DRS_SSH_MAX_SESSIONS).
SESSIONS_PER_CONNECTION = 10


async def connect(env: BenchEnv) -> asyncssh.SSHClientConnection:
    """Same options as drs.runner.ssh.open_connection: pinned key only, no agent/config,
    the same cipher preference."""
    assert env.sshd is not None
    key = asyncssh.import_public_key(env.sshd.host_key)
    return await asyncssh.connect(
        env.sshd.host,
        env.sshd.port,
        username=env.sshd.key_user.name,
        client_keys=[asyncssh.import_private_key(env.sshd.key_user.private_key)],
        known_hosts=([key], [], []),
        server_host_key_algs=[key.get_algorithm()],
        agent_path=None,
        password=None,
        config=None,
        client_host_keys=None,
        keepalive_interval=5,
        encryption_algs=ENCRYPTION_ALGS,
    )


def python_command(program: str, args: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in [PYTHON, "-u", "-c", program, *args])


def parse_t0(data: bytes) -> int:
    """The program's own start time: its first line is `T0 <time_ns>`."""
    first = data.split(b"\n", 1)[0].split()
    if len(first) < 2 or first[0] != b"T0":
        raise ValueError(f"no T0 line in {data[:80]!r}")
    return int(first[1])


async def connect_exec(env: BenchEnv, program: str) -> tuple[float, float]:
    """(seconds from connect start to the program's own start, total incl. close)."""
    t = time.time_ns()
    async with await connect(env) as conn:
        result = await conn.run(python_command(program, []), encoding=None, check=True)
    total = (time.time_ns() - t) / 1e9
    return (parse_t0(bytes(result.stdout or b"")) - t) / 1e9, total


async def exec_on_open(conn: asyncssh.SSHClientConnection, program: str) -> float:
    """Seconds from exec to the program's own start on an already open connection."""
    t = time.time_ns()
    result = await conn.run(python_command(program, []), encoding=None, check=True)
    return (parse_t0(bytes(result.stdout or b"")) - t) / 1e9


async def run_true(conn: asyncssh.SSHClientConnection) -> float:
    t = time.perf_counter()
    await conn.run("true", check=True)
    return time.perf_counter() - t


def ssh_cli_true(env: BenchEnv) -> float:
    t = time.perf_counter()
    subprocess.run([*ssh_cli_args(env), "true"], check=True, capture_output=True)
    return time.perf_counter() - t


@dataclass
class StreamResult:
    bytes: int
    lines: int
    seconds: float  # from the program's own T0 to EOF of its stdout


async def stream(env: BenchEnv, program: str, args: list[str], read_size: int) -> StreamResult:
    """Run PROGRAM and read its stdout as big byte chunks, counting newlines ourselves
    (docs/architecture.md: line iteration is ~0.35 M lines/s; big reads are what a fast
    reader does)."""
    async with await connect(env) as conn:
        proc = await conn.create_process(
            python_command(program, args), encoding=None, stdin=asyncssh.DEVNULL
        )
        first = b""
        total = lines = 0
        while True:
            block = await proc.stdout.read(read_size)
            if not block:
                break
            if len(first) < 64:
                first += block[:64]
            total += len(block)
            lines += block.count(b"\n")
        end = time.time_ns()
        await proc.wait()
    return StreamResult(total, lines, (end - parse_t0(first)) / 1e9)


async def sftp_read(env: BenchEnv, path: str, block: int) -> tuple[int, float]:
    """(bytes, seconds) reading an existing remote file over SFTP with BLOCK-sized reads:
    the transport DRS uses to follow, without persistence."""
    async with await connect(env) as conn, conn.start_sftp_client() as sftp:
        t = time.perf_counter()
        total = 0
        async with sftp.open(path, "rb") as fh:
            offset = 0
            while True:
                data = await fh.read(block, offset)
                if not data:
                    break
                offset += len(data)
                total += len(data)
        return total, time.perf_counter() - t


async def write_file(env: BenchEnv, program: str, args: list[str], path: str) -> StreamResult:
    """The program writing its stdout to a file on the host (what a DRS job's stdout is)
    with nobody reading it: the durable log's own cost, which a pipe read by `stream`
    does not pay. Timed like the others, from the program's own T0 (its first line in the
    file) to its exit."""
    async with await connect(env) as conn:
        await conn.run(f"{python_command(program, args)} > {shlex.quote(path)}", check=True)
        end = time.time_ns()
        head = await conn.run(f"head -c 64 {shlex.quote(path)}", encoding=None, check=True)
        counted = await conn.run(f"wc -c -l < {shlex.quote(path)}", check=True)
        await conn.run(f"rm -f {shlex.quote(path)}", check=True)
    lines, size = (int(x) for x in str(counted.stdout).split())
    return StreamResult(size, lines, (end - parse_t0(bytes(head.stdout or b""))) / 1e9)


async def ticker_latency(
    env: BenchEnv, program: str, go: Path, jobs: int, rate: float, duration: float
) -> list[float]:
    """P1's baseline: JOBS copies of the ticker PROGRAM (argv: go file, duration, rate)
    run over plain asyncssh exec channels, SESSIONS_PER_CONNECTION to a connection, their
    stdout read as it comes; each line's arrival minus the time it was written, seconds.
    Printing starts at once for all, through the go file, as for DRS's jobs."""
    command = python_command(program, [str(go), str(duration), str(rate)])
    conns = [await connect(env) for _ in range(math.ceil(jobs / SESSIONS_PER_CONNECTION))]
    clocks = [LineClock() for _ in range(jobs)]
    try:
        procs = [
            await conns[i // SESSIONS_PER_CONNECTION].create_process(
                command, encoding=None, stdin=asyncssh.DEVNULL
            )
            for i in range(jobs)
        ]

        async def read(proc: asyncssh.SSHClientProcess[bytes], clock: LineClock) -> None:
            while block := await proc.stdout.read(65536):
                clock.feed(block.decode(errors="replace"), time.time())

        readers = [asyncio.create_task(read(p, c)) for p, c in zip(procs, clocks, strict=True)]
        deadline = time.monotonic() + 30 + jobs * 0.1
        while any(c.t0 is None for c in clocks) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        tmp = go.with_suffix(".tmp")
        tmp.write_text(f"{time.time() + 0.5 + jobs / 500:.6f}")
        tmp.chmod(0o644)
        tmp.rename(go)
        await asyncio.wait_for(asyncio.gather(*readers), duration + 60)
        for proc in procs:
            await proc.wait()
    finally:
        for conn in conns:
            conn.close()
    return [latency for clock in clocks for latency in clock.latencies]
