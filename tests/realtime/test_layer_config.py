"""Configuration and pure helpers: the channel layer in use, the Origin rule."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer

from drs.realtime.auth import origin_allowed
from drs.realtime.layer import PubSubChannelLayer


def test_the_layer_is_the_bounded_pubsub_one() -> None:
    layer = get_channel_layer()
    assert isinstance(layer, PubSubChannelLayer)
    # A subscription connection is quiet for long stretches: redis-py 8's default 5 s
    # socket timeout would cut it.
    assert layer._args == () and layer._kwargs["hosts"][0]["socket_timeout"] > 5


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
