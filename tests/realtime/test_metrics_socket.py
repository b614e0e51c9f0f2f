"""Metric points of a real job over SSH, live on `/ws/jobs/<id>/logs/` (real daphne and
websockets), and its progress on `/ws/jobs/`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from drs.jobs.models import Job
from drs.runner.process import run_job
from tests import factories
from tests.fixtures.daphne import Daphne
from tests.fixtures.sshd import Sshd
from tests.realtime.conftest import session_headers, token_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)

# Five points, an invalid line, then it waits for `release` (the test releases it once it
# has seen the five live), then five more points.
PROGRAM = """\
import json, os, time
f = open(os.environ["DRS_METRICS"], "a")
def point(i):
    f.write(json.dumps({"step": i, "loss": 1.0 / i, "progress": i / 10}) + "\\n")
    f.flush()
for i in range(1, 6):
    point(i)
    print("step", i, flush=True)
f.write("{broken\\n")
f.flush()
while not os.path.exists("release"):
    time.sleep(0.05)
for i in range(6, 11):
    point(i)
    time.sleep(0.02)
"""


def run_and_close(job_id: str) -> None:
    try:
        run_job(job_id)
    finally:
        connections.close_all()


async def read_until_end(ws: Any, frames: list[dict[str, Any]], stop: int | None = None) -> None:
    """Frames in order until `end` (or until `stop` metric frames)."""
    async for raw in ws:
        frame = json.loads(raw)
        frames.append(frame)
        if frame["type"] == "end":
            return
        if stop is not None and sum(f["type"] == "metric" for f in frames) >= stop:
            return


async def job_directory(job: Job) -> Path:
    for _ in range(600):
        await job.arefresh_from_db()
        if job.remote_directory and job.status == "running":
            return Path(job.remote_directory)
        await asyncio.sleep(0.05)
    raise AssertionError("the job never ran")


@pytest.mark.parametrize("log_policy", ["live", "none"])
async def test_points_arrive_live_in_order_and_resume_resends_nothing(
    daphne: Daphne, sshd: Sshd, owner: Any, ssh_job: Callable[..., Job], log_policy: str
) -> None:
    job = await sync_to_async(ssh_job)(
        PROGRAM,
        server_name="metrics-sshd",
        title="metrics over ssh",
        queued=False,
        log_policy=log_policy,
    )
    headers = await session_headers(owner, daphne)
    frames: list[dict[str, Any]] = []
    progress: list[float] = []

    async def watch_progress(ws: Any) -> None:
        async for raw in ws:
            frame = json.loads(raw)
            if frame["type"] == "progress" and frame["id"] == str(job.pk):
                progress.append(frame["progress"])
            job_frame = frame.get("job") or {}
            if job_frame.get("id") == str(job.pk) and job_frame.get("status") == "succeeded":
                progress.append(job_frame["progress"])
                return

    async with (
        ws_connect(f"{daphne.url}/ws/jobs/", additional_headers=headers) as jobs_ws,
        ws_connect(f"{daphne.url}/ws/jobs/{job.pk}/logs/", additional_headers=headers) as ws,
    ):
        watcher = asyncio.create_task(watch_progress(jobs_ws))
        runner = asyncio.create_task(asyncio.to_thread(run_and_close, str(job.pk)))
        async with asyncio.timeout(120):
            # The first five points arrive while the job still runs (it waits for us).
            await read_until_end(ws, frames, stop=5)
            await job.arefresh_from_db()
            assert job.status == "running"
            directory = await job_directory(job)
            home = sshd.key_user.home
            (home / directory / "release").touch()
            await read_until_end(ws, frames)
            await runner
            await watcher
    metrics = [f for f in frames if f["type"] == "metric"]
    assert [m["n"] for m in metrics] == list(range(1, 11))
    assert [m["values"]["step"] for m in metrics] == list(range(1, 11))
    assert all(set(m) == {"type", "n", "time", "values"} for m in metrics)
    logs = [f for f in frames if f["type"] == "log"]
    assert bool(logs) == (log_policy == "live")
    assert frames[-1] == {"type": "end", "status": "succeeded", "exit_code": 0}
    # /ws/jobs/ heard the progress, rising, and the final job says 1.0.
    assert progress and progress[-1] == 1.0
    assert progress == sorted(progress)

    await job.arefresh_from_db()
    assert job.progress == 1.0
    assert job.metric_count == 10
    assert job.metrics_invalid == 1

    # A reconnect that has everything gets nothing but `end`.
    last_seq = logs[-1]["seq"] if logs else 0
    again: list[dict[str, Any]] = []
    url = f"{daphne.url}/ws/jobs/{job.pk}/logs/?after={last_seq}&metrics_after=10"
    async with ws_connect(url, additional_headers=await token_headers(owner)) as ws:
        async with asyncio.timeout(30):
            await read_until_end(ws, again)
    assert again == [{"type": "end", "status": "succeeded", "exit_code": 0}]
    # One that has the first seven points gets the last three.
    again = []
    url = f"{daphne.url}/ws/jobs/{job.pk}/logs/?after={last_seq}&metrics_after=7"
    async with ws_connect(url, additional_headers=await token_headers(owner)) as ws:
        async with asyncio.timeout(30):
            await read_until_end(ws, again)
    assert [f.get("n") for f in again] == [8, 9, 10, None]


async def test_bad_metrics_after_closes_with_4400(daphne: Daphne, owner: Any) -> None:
    job = await sync_to_async(factories.job)(owner)
    url = f"{daphne.url}/ws/jobs/{job.pk}/logs/?metrics_after=x"
    async with ws_connect(url, additional_headers=await token_headers(owner)) as ws:
        await ws.wait_closed()
    assert ws.close_code == 4400
