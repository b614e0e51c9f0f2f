"""The channel layer's Redis client must outwait channels-redis's blocking pop."""

from __future__ import annotations

from channels.layers import get_channel_layer
from channels_redis.utils import create_pool


def test_socket_timeout_outlasts_the_blocking_pop() -> None:
    """redis-py 8 defaults to a 5 s socket timeout, the same 5 s that channels-redis blocks
    on an idle channel: without a longer one every idle websocket died after 5 s."""
    layer = get_channel_layer()
    assert layer is not None
    connection = create_pool(layer.hosts[0]).make_connection()
    timeout = connection.socket_timeout
    assert timeout is None or timeout > layer.brpop_timeout + 5
