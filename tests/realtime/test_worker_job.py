"""The whole way: a job submitted through the jobs service, run by a real qcluster worker
over SSH, watched on `/ws/jobs/` and followed on its log socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job
from tests.fixtures.daphne import Daphne
from tests.fixtures.workers import Workers
from tests.realtime.conftest import Follower, stored_frames, token_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)

LIFECYCLE = ["queued", "starting", "running", "succeeded"]
PROGRAM = """\
import sys, time
for i in range(20000):
    print(f"line {i} ✓")
    if i % 2000 == 0:
        print(f"progress {i}", file=sys.stderr, flush=True)
        time.sleep(0.1)
"""


async def test_worker_job_status_and_log(
    daphne: Daphne, owner: Any, ssh_job: Callable[..., Job], start_workers: Callable[..., Workers]
) -> None:
    await asyncio.to_thread(start_workers, workers=1)
    headers = await token_headers(owner)
    async with (
        asyncio.timeout(180),
        ws_connect(f"{daphne.url}/ws/jobs/", additional_headers=headers) as jobs_ws,
    ):
        job = await sync_to_async(ssh_job)(PROGRAM, server_name="ws-worker-sshd", title="followed")
        follower = Follower(daphne, job.pk, headers)
        followed = asyncio.create_task(follower.run())
        statuses: list[str] = []
        while not statuses or statuses[-1] not in TERMINAL_STATUSES:
            frame = json.loads(await jobs_ws.recv())
            assert frame["type"] == "job"
            assert frame["job"]["id"] == str(job.pk)
            if not statuses or statuses[-1] != frame["job"]["status"]:
                statuses.append(frame["job"]["status"])
        await followed
    await job.arefresh_from_db()
    assert job.status == "succeeded", job.error
    # Status changes arrive in lifecycle order, ending with the final one.
    assert statuses[-1] == "succeeded"
    assert statuses == [s for s in LIFECYCLE if s in statuses]
    assert "running" in statuses
    stored = await stored_frames(job.pk)
    assert "".join(f["data"] for f in stored if f["stream"] == "stdout") == "".join(
        f"line {i} ✓\n" for i in range(20000)
    )
    assert follower.frames == stored
    assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}
