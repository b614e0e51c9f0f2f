"""The channel layer: channels-redis's Redis pub/sub layer, with three changes DRS needs.

Why pub/sub: channels-redis's default layer costs four Redis round trips per group send
and one blocking pop per received message, serialised per process; at 1,000 log chunks/s
it falls seconds behind (docs/architecture.md). Pub/sub is one PUBLISH per send and a
pushed stream on receive. What it lacks, added here:

- **Bounded queues.** Each channel's queue holds at most `capacity` messages; beyond that
  a message is dropped (logged), as channels-redis's default layer does. Consumers fill
  any gap from the database, so a stalled process cannot grow without bound.
- **Failures reach consumers.** When the subscription connection fails, every waiting
  `receive` raises ConnectionError (instead of waiting on a silent queue for ever), so
  websocket clients are closed with 4503 and reconnect, then catch up from the database.
- **Concurrent and batched publishes.** Sends do not queue behind one lock: the
  connection pool serves up to MAX_PARALLEL_SENDS of them in parallel; `group_send_many`
  sends many messages in one round trip (the runner publishes a flush's chunks so).
- **Publishing from sync code** (`group_send_many_sync`): a request thread publishes with
  a plain Redis client instead of `async_to_sync`, which hops to the server's event loop
  and back (5 ms of a job submission's ~20, and more while that loop is busy).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import redis
from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _consistent_hash, _wrap_close, decode_hosts

log = logging.getLogger(__name__)

LOST = object()  # put in a channel's queue: the subscription connection failed
DEFAULT_CAPACITY = 1000
MAX_PARALLEL_SENDS = 16  # per process and Redis host: within redis-py's pool


class Shard(RedisSingleShardConnection):
    layer: LoopLayer

    def __init__(self, host: Any, channel_layer: LoopLayer) -> None:
        super().__init__(host, channel_layer)
        self.layer = channel_layer
        self.sends = asyncio.Semaphore(MAX_PARALLEL_SENDS)

    async def publish(self, channel: str, message: bytes) -> None:
        await self.publish_many([(channel, message)])

    async def publish_many(self, messages: list[tuple[str, bytes]]) -> None:
        """In order, in one round trip (a pipeline). After an outage pooled connections
        are stale until a command fails on them; the failure drops that connection, so one
        retry is enough once Redis is back. It may repeat some messages: consumers drop a
        seq they have sent already."""
        self._ensure_redis()
        async with self.sends:
            try:
                await self._pipeline(messages)
            except redis.ConnectionError:
                await self._pipeline(messages)

    async def _pipeline(self, messages: list[tuple[str, bytes]]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for channel, message in messages:
                pipe.publish(channel, message)
            await pipe.execute()

    async def subscribe(self, channel: str) -> None:
        # The subscription connection is stale in the same way (see publish).
        try:
            await super().subscribe(channel)
        except redis.ConnectionError:
            await super().subscribe(channel)

    async def _do_receiving(self) -> None:
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=1.0
                    )
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:
                log.warning("channel layer: subscription connection failed: %r", exc)
                self.layer.fail_receivers()
                await asyncio.sleep(1)

    def _receive_message(self, message: Any) -> None:
        if message is None:
            return
        name = message["channel"]
        if isinstance(name, bytes):
            name = name.decode()
        layer = self.layer
        if name in layer.channels:
            layer.deliver(name, message["data"])
        elif name in layer.groups:
            for channel in layer.groups[name]:
                if channel in layer.channels:
                    layer.deliver(channel, message["data"])


class LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, hosts: Any = None, capacity: int = DEFAULT_CAPACITY, **kwargs: Any) -> None:
        super().__init__(hosts, **kwargs)
        self.capacity = capacity
        plain: list[RedisSingleShardConnection] = self._shards  # type: ignore[has-type]
        self._shards = [Shard(shard.host, self) for shard in plain]
        self._cleanups: set[asyncio.Task[None]] = set()

    async def _subscribe_to_channel(self, channel: str) -> None:
        self.channels[channel] = asyncio.Queue(maxsize=self.capacity)
        await self._get_shard(channel).subscribe(channel)

    async def group_send_many(self, messages: list[tuple[str, dict[str, Any]]]) -> None:
        """Send each (group, message) in order, one round trip per Redis shard."""
        batches: dict[Shard, list[tuple[str, bytes]]] = {}
        for group, message in messages:
            name = self._get_group_channel_name(group)
            shard = self._get_shard(name)
            batches.setdefault(shard, []).append((name, self.channel_layer.serialize(message)))
        await asyncio.gather(*(shard.publish_many(batch) for shard, batch in batches.items()))

    def deliver(self, channel: str, data: Any) -> None:
        try:
            self.channels[channel].put_nowait(data)
        except asyncio.QueueFull:
            log.info("channel layer: %s over capacity, message dropped", channel)

    def fail_receivers(self) -> None:
        for queue in self.channels.values():
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(LOST)

    async def receive(self, channel: str) -> Any:
        if channel not in self.channels:
            await self._subscribe_to_channel(channel)
        queue = self.channels[channel]
        try:
            message = await queue.get()
        except (asyncio.CancelledError, GeneratorExit):
            # The consumer is going away (channels has no delete_channel): unsubscribe in
            # the background, so cancellation is not held up by the shard's lock.
            self._forget(channel)
            raise
        if message is LOST:
            self._forget(channel)
            raise ConnectionError("the channel layer lost its Redis connection")
        return self.channel_layer.deserialize(message)

    def _forget(self, channel: str) -> None:
        if self.channels.pop(channel, None) is None:
            return
        names = [channel]
        for group, members in list(self.groups.items()):
            members.discard(channel)
            if not members:
                del self.groups[group]
                names.append(group)
        for name in names:
            task = asyncio.ensure_future(self._unsubscribe(name))
            self._cleanups.add(task)
            task.add_done_callback(self._cleanups.discard)

    async def _unsubscribe(self, name: str) -> None:
        try:
            await self._get_shard(name).unsubscribe(name)
        except Exception as exc:  # Redis gone: the subscription went with the connection
            log.debug("channel layer: unsubscribe %s failed: %r", name, exc)


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """Set as CHANNEL_LAYERS' BACKEND; config: hosts, prefix, capacity."""

    _sync_clients: list[redis.Redis] | None = None

    def group_send_many_sync(self, messages: list[tuple[str, dict[str, Any]]]) -> None:
        """`group_send_many` for sync code, on a plain Redis client per host (one round
        trip per host; a stale pooled connection is retried once, as in `publish_many`)."""
        clients = self._sync_shards()
        prefix = self._kwargs.get("prefix", "asgi")
        batches: dict[int, list[tuple[str, bytes]]] = {}
        for group, message in messages:
            name = f"{prefix}__group__{group}"  # RedisPubSubLoopLayer._get_group_channel_name
            shard = _consistent_hash(name, len(clients))
            batches.setdefault(shard, []).append((name, self.serialize(message)))
        for shard, batch in batches.items():
            try:
                _publish_sync(clients[shard], batch)
            except redis.ConnectionError:
                _publish_sync(clients[shard], batch)

    def _sync_shards(self) -> list[redis.Redis]:
        if self._sync_clients is None:
            hosts = decode_hosts(self._args[0] if self._args else self._kwargs.get("hosts"))
            self._sync_clients = [_sync_client(host) for host in hosts]
        return self._sync_clients

    async def group_send_many(self, messages: list[tuple[str, dict[str, Any]]]) -> None:
        await self._get_layer().group_send_many(messages)

    def _get_layer(self) -> LoopLayer:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
        return layer


def _sync_client(host: dict[str, Any]) -> redis.Redis:
    options = dict(host)
    address = options.pop("address", None)
    if address is None:  # (host, port) entries; sentinels are not configured by DRS
        return redis.Redis(**options)
    return redis.Redis.from_url(address, **options)


def _publish_sync(client: redis.Redis, messages: list[tuple[str, bytes]]) -> None:
    with client.pipeline(transaction=False) as pipe:
        for channel, message in messages:
            pipe.publish(channel, message)
        pipe.execute()
