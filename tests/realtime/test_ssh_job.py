"""A real job over SSH (the runner against the test sshd), followed over the websocket."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from drs.jobs.models import Job
from drs.runner.process import run_job
from tests.fixtures.daphne import Daphne
from tests.realtime.conftest import Follower, running, session_headers, stored_frames, token_headers

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM = """\
import sys, time
for i in range(30000):
    print(f"out {i} αβγ ✓")
    if i % 1000 == 0:
        print(f"err {i} ü", file=sys.stderr)
        sys.stdout.flush()
        time.sleep(0.05)
sys.exit(3)
"""


def run_and_close(job_id: str) -> None:
    try:
        run_job(job_id)
    finally:
        connections.close_all()


async def test_real_job_over_ssh(daphne: Daphne, owner: Any, ssh_job: Callable[..., Job]) -> None:
    job = await sync_to_async(ssh_job)(
        PROGRAM, server_name="ws-sshd", title="ws over ssh", queued=False
    )
    followers = [
        Follower(daphne, job.pk, await session_headers(owner, daphne)),
        Follower(daphne, job.pk, await token_headers(owner), disconnect_at={3, 10, 25}),
    ]
    async with running(*followers):
        await asyncio.to_thread(run_and_close, str(job.pk))
    await job.arefresh_from_db()
    assert job.status == "failed", job.error
    assert job.exit_code == 3
    stored = await stored_frames(job.pk)
    text = "".join(f["data"] for f in stored if f["stream"] == "stdout")
    assert text == "".join(f"out {i} αβγ ✓\n" for i in range(30000))
    assert len(stored) == job.last_seq > 1
    for follower in followers:
        assert follower.frames == stored
        assert follower.end == {"type": "end", "status": "failed", "exit_code": 3}
