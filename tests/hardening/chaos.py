#!/usr/bin/env python3
"""`make chaos`: the fault scenarios (tests/hardening, marker `chaos`) in server mode
against a private PostgreSQL cluster and a private redis-server, both started here on
free ports (never the machine's shared ones), so the tests may restart and stop them.

The tests find them through DRS_CHAOS_PG_DIR / DRS_CHAOS_REDIS_PORT (faults.py)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else (shutil.which(name) or name)


def as_postgres(*argv: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True, capture_output=True)


def start_postgres(directory: Path) -> int:
    port = free_port()
    pg = pwd.getpwnam("postgres")
    directory.mkdir(parents=True)
    os.chown(directory, pg.pw_uid, pg.pw_gid)
    data = directory / "data"
    as_postgres(pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync")
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{directory}'\nmax_connections = 300\nfsync = off\n"
        )
    as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(directory / "log"), "start")
    return port


def stop_postgres(directory: Path) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D", str(directory / "data"),
         "-m", "immediate", "-w", "stop"],
        check=False, capture_output=True,
    )  # fmt: skip


def redis_port() -> int:
    return int(os.environ["DRS_CHAOS_REDIS_PORT"])


def start_redis() -> None:
    directory = Path(os.environ["DRS_CHAOS_REDIS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["redis-server", "--port", str(redis_port()), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--dir", str(directory),
         "--pidfile", str(directory / "redis.pid"), "--logfile", str(directory / "redis.log")],
        check=True,
    )  # fmt: skip
    _wait_port(redis_port())


def stop_redis() -> None:
    pidfile = Path(os.environ["DRS_CHAOS_REDIS_DIR"]) / "redis.pid"
    with contextlib.suppress(OSError, ValueError):
        pid = int(pidfile.read_text())
        os.kill(pid, 9)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        pidfile.unlink()


def _wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="drs-chaos-"))
    work.chmod(0o755)
    pg_dir = work / "pg"
    redis_port = free_port()
    started = time.monotonic()
    try:
        pg_port = start_postgres(pg_dir)
    except BaseException:
        stop_postgres(pg_dir)
        shutil.rmtree(work, ignore_errors=True)
        raise
    env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/drs",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "DRS_CHAOS": "1",
        "DRS_CHAOS_PG_DIR": str(pg_dir),
        "DRS_CHAOS_REDIS_PORT": str(redis_port),
        "DRS_CHAOS_REDIS_DIR": str(work / "redis"),
    }
    os.environ.update(env)
    try:
        start_redis()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
             "-m", "chaos", "tests/hardening", *sys.argv[1:]],
            cwd=ROOT, env=env, check=False,
        )  # fmt: skip
    finally:
        stop_redis()
        stop_postgres(pg_dir)
        shutil.rmtree(work, ignore_errors=True)
    print(f"make chaos: {time.monotonic() - started:.0f} s")
    return done.returncode


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
