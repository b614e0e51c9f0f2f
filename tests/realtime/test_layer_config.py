"""Configuration and pure helpers: the channel layer's Redis client, the Origin rule."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer
from channels_redis.utils import create_pool

from drs.realtime.auth import origin_allowed


def test_socket_timeout_outlasts_the_blocking_pop() -> None:
    """redis-py 8 defaults to a 5 s socket timeout, the same 5 s that channels-redis blocks
    on an idle channel: without a longer one every idle websocket died after 5 s."""
    layer = get_channel_layer()
    assert layer is not None
    connection = create_pool(layer.hosts[0]).make_connection()
    timeout = connection.socket_timeout
    assert timeout is None or timeout > layer.brpop_timeout + 5


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("https://localhost", True),
        ("http://LOCALHOST:5173", True),
        ("http://[::1]:8000", True),
        ("http://localhost.evil.example", False),
        ("http://evil.example/127.0.0.1", False),
        ("ws://127.0.0.1:8000", False),
        ("null", False),
        ("", False),
        ("http://", False),
        ("http://127.0.0.1:8000@evil.example", False),
    ],
)
def test_origin_allowed(origin: str, allowed: bool) -> None:
    assert origin_allowed(origin) is allowed
