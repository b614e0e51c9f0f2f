"""The pub/sub channel layer's additions, against a real Redis: bounded queues, failures
that reach waiting receivers, parallel publishes."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from drs.realtime.layer import PubSubChannelLayer
from tests.realtime.conftest import PrivateRedis


def make_layer(url: str, **config: object) -> PubSubChannelLayer:
    return PubSubChannelLayer(hosts=[{"address": url, "socket_timeout": 15}], **config)


async def wait_subscribed(layer: PubSubChannelLayer) -> None:
    """Wait until the subscriptions made so far have taken effect: they share one
    connection, so once a probe channel subscribed after them hears a probe, they hear too.
    One receive waits throughout: a cancelled receive means its consumer left, and the
    layer unsubscribes that channel."""
    probe = await layer.new_channel()
    await layer.group_add("probe", probe)
    receiving = asyncio.ensure_future(layer.receive(probe))
    while not receiving.done():
        await layer.group_send("probe", {"type": "probe"})
        await asyncio.wait({receiving}, timeout=0.2)
    assert receiving.result() == {"type": "probe"}


async def test_a_full_channel_drops_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="drs.realtime.layer")
    with PrivateRedis(tmp_path) as redis:
        layer = make_layer(redis.url, capacity=3)
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        await wait_subscribed(layer)
        for i in range(10):
            await layer.group_send("g", {"type": "m", "i": i})
        # Nobody receives meanwhile: the queue keeps the first three, the rest is dropped.
        deadline = time.monotonic() + 10
        while not any(f"{channel} over capacity" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "nothing was dropped"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        got = [(await layer.receive(channel))["i"] for _ in range(3)]
        assert got == [0, 1, 2]
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(channel), 0.3)
        await layer.flush()


async def test_a_lost_connection_reaches_waiting_receivers(tmp_path: Path) -> None:
    redis = PrivateRedis(tmp_path).start()
    try:
        layer = make_layer(redis.url)
        channels = [await layer.new_channel() for _ in range(3)]
        for i, channel in enumerate(channels):
            await layer.group_add(f"g{i}", channel)
        await wait_subscribed(layer)
        waiting = [asyncio.create_task(layer.receive(c)) for c in channels]
        await asyncio.sleep(0.1)
        await asyncio.to_thread(redis.stop)
        done, pending = await asyncio.wait(waiting, timeout=30)
        assert not pending, "a receiver kept waiting on a dead connection"
        for task in done:
            assert isinstance(task.exception(), ConnectionError)
        # Back up: a new channel works again on the same layer.
        redis.start()
        channel = await layer.new_channel()
        await layer.group_add("g9", channel)
        await wait_subscribed(layer)
        await layer.group_send("g9", {"type": "m"})
        assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "m"}
        await layer.flush()
    finally:
        redis.stop()


async def test_publishes_run_in_parallel_and_all_arrive(tmp_path: Path) -> None:
    with PrivateRedis(tmp_path) as redis:
        sender, receiver = make_layer(redis.url), make_layer(redis.url, capacity=10_000)
        channel = await receiver.new_channel()
        await receiver.group_add("g", channel)
        await wait_subscribed(receiver)
        await asyncio.gather(*(sender.group_send("g", {"type": "m", "i": i}) for i in range(500)))
        got = {(await receiver.receive(channel))["i"] for _ in range(500)}
        assert got == set(range(500))
        await sender.flush()
        await receiver.flush()


async def test_group_send_many_arrives_in_order_across_groups(tmp_path: Path) -> None:
    with PrivateRedis(tmp_path) as redis:
        sender, receiver = make_layer(redis.url), make_layer(redis.url, capacity=10_000)
        channels = [await receiver.new_channel() for _ in range(3)]
        for i, channel in enumerate(channels):
            await receiver.group_add(f"g{i}", channel)
        await wait_subscribed(receiver)
        await sender.group_send_many([(f"g{i % 3}", {"type": "m", "i": i}) for i in range(300)])
        for k, channel in enumerate(channels):
            got = [(await receiver.receive(channel))["i"] for _ in range(100)]
            assert got == list(range(k, 300, 3))
        await sender.flush()
        await receiver.flush()
