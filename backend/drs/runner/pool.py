"""A pool of SSH connections per runner process, keyed by (server, credential, pinned
host key): jobs share connections, and a job starting on a warm connection costs one exec
and a file write instead of a handshake. Each key has one follower (the agent, or SFTP
polling where the host has no python3) for every job of this process on that host.

Connection attempts for a key are serialised: when a link drops, its hundred jobs wait
for one reconnect instead of making a hundred."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from drs.common import metrics
from drs.runner.agent import SILENCE_TIMEOUT, AgentClient, AgentError, Follower
from drs.runner.follow import SftpFollower
from drs.runner.remote import Remote, SshRemote
from drs.runner.ssh import ConnectError

log = logging.getLogger(__name__)

MAX_CONNECTIONS_PER_KEY = 8
BACKOFF = (0.5, 1, 2, 4, 8, 15, 30)


@dataclass(frozen=True)
class PoolKey:
    server_id: int
    credential_id: int | None
    host_key: str


Opener = Callable[[], Awaitable[Remote]]


@dataclass
class Link:
    key: PoolKey
    opener: Opener
    remotes: list[Remote] = field(default_factory=list)
    follower: Follower | None = None
    agent_unusable: bool = False  # no python3 there: poll over SFTP instead
    users: int = 0  # jobs of this process on this host
    idle_since: float = field(default_factory=time.monotonic)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # After a failed connect, every job of the key waits for the next attempt instead of
    # making its own: one attempt per backoff step, whatever the number of jobs.
    last_error: ConnectError | None = None
    failures: int = 0
    retry_at: float = 0.0
    # Batch jobs' scheduler polling: one query per connection per tick (batchrun.py).
    monitor: Any = None

    def live_remotes(self) -> list[Remote]:
        alive = [r for r in self.remotes if not r.is_closed]
        if len(alive) != len(self.remotes):
            _count_connections(len(alive) - len(self.remotes))
            self.remotes = alive
        return alive

    async def remote(self) -> Remote:
        """A live connection with a free channel; another one is opened before every
        connection is at its session limit."""
        remotes = self.live_remotes()
        free = [r for r in remotes if not _busy(r)]
        if free:
            return min(free, key=_load)
        async with self.lock:
            remotes = self.live_remotes()
            free = [r for r in remotes if not _busy(r)]
            if free:
                return min(free, key=_load)
            if len(remotes) >= MAX_CONNECTIONS_PER_KEY:
                return min(remotes, key=_load)
            if self.last_error is not None and time.monotonic() < self.retry_at:
                raise self.last_error
            try:
                remote = await self.opener()
            except ConnectError as exc:
                self.last_error = exc
                self.retry_at = time.monotonic() + BACKOFF[min(self.failures, len(BACKOFF) - 1)]
                self.failures += 1
                raise
            self.last_error, self.failures, self.retry_at = None, 0, 0.0
            self.remotes.append(remote)
            _count_connections(+1)
            return remote

    async def get_follower(self) -> Follower:
        if self.follower is not None and not self.follower.closed.is_set():
            return self.follower
        primary = await self.remote()
        async with self.lock:
            if self.follower is not None and not self.follower.closed.is_set():
                return self.follower
            if settings.DRS_FOLLOW_TRANSPORT == "sftp":
                self.agent_unusable = True
            if not self.agent_unusable:
                try:
                    self.follower = await primary.start_agent()
                    log.info("follower agent started (%s) for %s", self.follower_mode(), self.key)
                    return self.follower
                except AgentError as exc:
                    log.warning("no follower agent on %s (%s): polling over SFTP", self.key, exc)
                    self.agent_unusable = True
            self.follower = SftpFollower(primary)
            return self.follower

    def running_agent(self) -> AgentClient | None:
        """The follower agent, if one is up: a job starts through it without a channel."""
        follower = self.follower
        if isinstance(follower, AgentClient) and not follower.closed.is_set():
            return follower
        return None

    def follower_mode(self) -> str:
        return str(getattr(self.follower, "mode", ""))

    def in_use(self) -> bool:
        return self.users > 0 or any(getattr(r, "in_use", 0) for r in self.remotes)

    async def close(self) -> None:
        if self.monitor is not None:
            self.monitor.close()
            self.monitor = None
        if self.follower is not None:
            self.follower.close()
            self.follower = None
        remotes, self.remotes = self.remotes, []
        _count_connections(-len(remotes))
        await asyncio.gather(*(remote.close() for remote in remotes), return_exceptions=True)


def _busy(remote: Remote) -> bool:
    return isinstance(remote, SshRemote) and remote.channels.locked()


def _load(remote: Remote) -> int:
    return int(getattr(remote, "in_use", 0))


def _count_connections(delta: int) -> None:
    metrics.SSH_CONNECTIONS.inc(delta)


class ConnectionPool:
    def __init__(self) -> None:
        self.links: dict[PoolKey, Link] = {}

    def link(self, key: PoolKey, opener: Opener) -> Link:
        link = self.links.get(key)
        if link is None:
            link = self.links[key] = Link(key, opener)
        return link

    async def sweep(self) -> None:
        """Close links no job has used for DRS_SSH_IDLE_SECONDS."""
        now = time.monotonic()
        idle_for = settings.DRS_SSH_IDLE_SECONDS
        for link in self.links.values():
            follower = link.follower
            if isinstance(follower, AgentClient) and follower.silent_for() > SILENCE_TIMEOUT:
                # A stuck agent on a live connection: its jobs resume on a new one.
                log.warning("follower agent for %s silent; restarting it", link.key)
                follower.close()
        for key, link in list(self.links.items()):
            if link.in_use():
                link.idle_since = now
            elif now - link.idle_since >= idle_for:
                del self.links[key]
                await link.close()

    async def close(self) -> None:
        links, self.links = self.links, {}
        await asyncio.gather(*(link.close() for link in links.values()), return_exceptions=True)
