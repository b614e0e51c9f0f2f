"""The log stream survives what the channel layer and the server do to it: a tiny layer
capacity (dropped messages), a daphne restart, Redis gone for 10 s."""

from __future__ import annotations

import asyncio
import copy
import time
from pathlib import Path
from typing import Any

import pytest

from drs.jobs.models import Job
from tests.fixtures.daphne import Daphne
from tests.realtime.conftest import (
    FakeRunner,
    Follower,
    PrivateRedis,
    running,
    session_headers,
    stored_frames,
    token_headers,
)

pytestmark = pytest.mark.django_db(transaction=True)


def layer_with(settings: Any, **config: Any) -> None:
    """This process's channel layer (the producer's side) with changed config."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"]["CONFIG"].update(config)
    settings.CHANNEL_LAYERS = layers  # channels drops its cached layer on this signal


async def test_capacity_10_burst(job: Job, owner: Any, staff: Any, settings: Any) -> None:
    """Channel capacity 10 everywhere, a 100,000-line burst: every chunk arrives, in order."""
    layer_with(settings, capacity=10)
    daphne = Daphne(env={"DRS_CHANNEL_CAPACITY": "10"})
    daphne.log_path.unlink(missing_ok=True)
    with daphne:
        followers = [
            Follower(daphne, job.pk, await token_headers(owner)),
            Follower(daphne, job.pk, await session_headers(owner, daphne)),
            Follower(daphne, job.pk, await token_headers(staff)),
        ]
        runner = FakeRunner(job.pk)
        async with running(*followers):
            await runner.lines(100_000, seed=11, max_lines_per_chunk=60, chunks_per_commit=32)
            await runner.set_status("succeeded", exit_code=0)
        log = daphne.log_path.read_text(errors="replace")
    stored = await stored_frames(job.pk)
    assert len(stored) == runner.last_seq > 2000
    for follower in followers:
        assert follower.frames == stored
        assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}
        assert follower.connections == 1
    # daphne's layer really dropped messages on the way: the gaps were filled from the
    # database.
    assert "over capacity" in log


async def test_daphne_restart(daphne: Daphne, job: Job, owner: Any) -> None:
    """daphne restarts while clients follow a job: they reconnect and resume without loss."""
    followers = [
        Follower(daphne, job.pk, await token_headers(owner)),
        Follower(daphne, job.pk, await token_headers(owner)),
    ]
    runner = FakeRunner(job.pk)
    async with running(*followers):
        await runner.lines(30_000, seed=12, pause=0.002)
        while min(len(f.frames) for f in followers) < 50:
            await asyncio.sleep(0.05)
        restarted = asyncio.create_task(asyncio.to_thread(daphne.restart))
        # The job goes on while daphne is down and coming back.
        await runner.lines(40_000, seed=13, pause=0.002)
        await restarted
        await runner.lines(30_000, seed=14, pause=0.002)
        await runner.set_status("succeeded", exit_code=0)
    stored = await stored_frames(job.pk)
    for follower in followers:
        assert follower.frames == stored
        assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}
        assert follower.connections >= 2


async def test_redis_stopped_for_10_seconds(
    job: Job, owner: Any, settings: Any, tmp_path: Path
) -> None:
    """Redis goes away for 10 s mid-job: the runner keeps persisting, followers are told
    to come back (or lose the connection), and once Redis is back they catch up."""
    with PrivateRedis(tmp_path) as redis:
        host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
        layer_with(settings, hosts=[{**host, "address": redis.url}])
        with Daphne(env={"DRS_CHANNEL_REDIS_URL": redis.url}) as daphne:
            followers = [
                Follower(daphne, job.pk, await token_headers(owner)),
                Follower(daphne, job.pk, await session_headers(owner, daphne)),
            ]
            runner = FakeRunner(job.pk)
            async with running(*followers):
                await runner.lines(20_000, seed=21, pause=0.002)
                while min(len(f.frames) for f in followers) < 20:
                    await asyncio.sleep(0.05)
                await asyncio.to_thread(redis.stop)
                before_outage = runner.last_seq
                outage_ends = time.monotonic() + 10
                while time.monotonic() < outage_ends:
                    await runner.lines(1_000, seed=runner.last_seq, pause=0.01)
                during_outage = runner.last_seq - before_outage
                await asyncio.to_thread(redis.start)
                await runner.lines(20_000, seed=22, pause=0.002)
                await runner.set_status("succeeded", exit_code=0)
    assert during_outage > 0
    stored = await stored_frames(job.pk)
    assert len(stored) == runner.last_seq
    for follower in followers:
        assert follower.frames == stored
        assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}
        assert follower.connections >= 2
