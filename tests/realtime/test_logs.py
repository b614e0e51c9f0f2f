"""Following a job's log: every chunk exactly once, in order, then `end`."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime
from typing import Any

import pytest

from drs.jobs.events import anotify_job_changed
from drs.jobs.models import Job
from tests.fixtures.daphne import Daphne
from tests.realtime.conftest import (
    FakeRunner,
    Follower,
    follow_all,
    running,
    session_headers,
    stored_frames,
    token_headers,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_live_followers_get_what_the_database_holds(
    daphne: Daphne, job: Job, owner: Any, staff: Any
) -> None:
    """Three clients (session, token, staff) follow a 100,000-line job from its start."""
    followers = [
        Follower(daphne, job.pk, await session_headers(owner, daphne)),
        Follower(daphne, job.pk, await token_headers(owner)),
        Follower(daphne, job.pk, await token_headers(staff)),
    ]
    runner = FakeRunner(job.pk)
    async with running(*followers):
        await runner.lines(100_000, seed=1)
        await runner.write([("stdout", b"bad bytes \xff\xfe end\n")])
        await runner.set_status("failed", exit_code=3)
    stored = await stored_frames(job.pk)
    assert len(stored) == runner.last_seq > 500
    assert stored[-1]["data"] == "bad bytes \ufffd\ufffd end\n"
    for follower in followers:
        assert follower.frames == stored
        assert follower.end == {"type": "end", "status": "failed", "exit_code": 3}
        assert follower.connections == 1
        assert follower.close_codes == [1000]


async def test_finished_job_backfills_then_ends(daphne: Daphne, job: Job, owner: Any) -> None:
    runner = FakeRunner(job.pk)
    await runner.lines(20_000, seed=2)
    await runner.set_status("succeeded", exit_code=0)
    follower = Follower(daphne, job.pk, await token_headers(owner))
    await follow_all(follower)
    assert follower.frames == await stored_frames(job.pk)
    assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}


async def test_resume_after_k_messages(daphne: Daphne, job: Job, owner: Any) -> None:
    """Disconnect after k messages, reconnect with after=<k-th seq>: nothing lost or doubled."""
    runner = FakeRunner(job.pk)
    await runner.lines(30_000, seed=3)
    await runner.set_status("succeeded", exit_code=0)
    stored = await stored_frames(job.pk)
    headers = await token_headers(owner)
    for k in (1, 37, len(stored) - 1):
        first = Follower(daphne, job.pk, headers, disconnect_at={k}, once=True)
        await follow_all(first)
        assert [f["seq"] for f in first.frames] == list(range(1, k + 1))
        second = Follower(daphne, job.pk, headers)
        second.frames = [first.frames[-1]]  # start from after=<k-th seq>
        await follow_all(second)
        assert second.frames[1]["seq"] == k + 1
        assert first.frames + second.frames[1:] == stored
        assert second.end is not None


async def test_after_beyond_the_log(daphne: Daphne, job: Job, owner: Any) -> None:
    runner = FakeRunner(job.pk)
    await runner.lines(100, seed=4)
    await runner.set_status("succeeded", exit_code=0)
    follower = Follower(daphne, job.pk, await token_headers(owner))
    follower.frames = [{"seq": runner.last_seq}]
    await follow_all(follower)
    assert follower.frames == [{"seq": runner.last_seq}]
    assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}


async def test_thirty_random_disconnects(daphne: Daphne, job: Job, owner: Any) -> None:
    """A 100,000-line job followed through 30 random disconnects, live."""
    rng = random.Random(5)
    headers = await token_headers(owner)
    runner = FakeRunner(job.pk)
    # About 600 chunks for 100,000 lines: disconnect at 30 random message counts.
    follower = Follower(daphne, job.pk, headers, disconnect_at=set(rng.sample(range(1, 550), 30)))
    async with running(follower):
        await runner.lines(100_000, seed=5, pause=0.002)
        await runner.set_status("succeeded", exit_code=0)
    assert follower.frames == await stored_frames(job.pk)
    assert follower.connections == 31
    assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}


async def write_unpublished(runner: FakeRunner, lines: int, seed: int) -> None:
    """Commit chunks as the runner does but publish none: as if the layer dropped them."""
    runner.publish = False
    try:
        await runner.lines(lines, seed=seed)
    finally:
        runner.publish = True


async def test_live_chunk_after_a_gap(daphne: Daphne, job: Job, owner: Any) -> None:
    """A live chunk that skips ahead is sent only after the gap, from the database."""
    runner = FakeRunner(job.pk)
    follower = Follower(daphne, job.pk, await token_headers(owner))
    async with running(follower):
        await runner.lines(1_000, seed=8)
        await write_unpublished(runner, 5_000, seed=9)
        await runner.lines(1_000, seed=10)  # published: seq jumps past the gap
        while follower.last_seq < runner.last_seq:
            await asyncio.sleep(0.05)
        # The job is still running: all of it arrived in order without `end`.
        assert follower.end is None
        await runner.set_status("succeeded", exit_code=0)
    assert follower.frames == await stored_frames(job.pk)


async def test_final_status_before_last_chunks_are_seen(
    daphne: Daphne, job: Job, owner: Any
) -> None:
    """The terminal status event can overtake chunks: `end` still comes after all of them."""
    runner = FakeRunner(job.pk)
    follower = Follower(daphne, job.pk, await token_headers(owner))
    async with running(follower):
        await runner.lines(1_000, seed=6)
        # Commit more chunks without publishing them, then the final status.
        await write_unpublished(runner, 5_000, seed=7)
        await Job.objects.filter(pk=job.pk).aupdate(status="succeeded", exit_code=0)
        await anotify_job_changed(job.pk)
    assert follower.frames == await stored_frames(job.pk)
    assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}


def assert_time_and_line(frames: list[dict[str, Any]]) -> None:
    """Every frame carries its persist time (ISO 8601) and the combined-log line it
    starts on: the newlines in all frames before it."""
    newlines = 0
    for frame in frames:
        assert datetime.fromisoformat(frame["time"]).tzinfo is not None, frame
        assert frame["line"] == newlines, frame["seq"]
        newlines += frame["data"].count("\n")


async def test_frames_carry_time_and_line(daphne: Daphne, job: Job, owner: Any) -> None:
    """Live frames (published with time and line) and backfilled ones (read back from the
    database) carry the same `time` and `line`; a line may span chunks and streams."""
    runner = FakeRunner(job.pk)
    headers = await token_headers(owner)
    live = Follower(daphne, job.pk, headers)
    async with running(live):
        await runner.write([("stdout", b"first line\nsecond "), ("stderr", b"half\n")])
        await runner.lines(2_000, seed=11)
        await runner.write([("stdout", b"no newline at the end")])
        await runner.set_status("succeeded", exit_code=0)
    stored = await stored_frames(job.pk)
    assert [f["line"] for f in stored[:3]] == [0, 1, 2]
    assert live.frames == stored
    assert_time_and_line(live.frames)
    late = Follower(daphne, job.pk, headers)
    await follow_all(late)
    assert late.frames == stored
