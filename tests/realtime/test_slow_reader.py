"""A client that stops reading must not make daphne buffer the job's whole log."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import psutil
import pytest

from drs.jobs.models import Job
from tests.fixtures.daphne import Daphne
from tests.realtime.conftest import FakeRunner, stored_frames, token_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 64 * 1024
CHUNKS = 640  # a 40 MiB log


async def test_reader_that_stalls_gets_everything_later(
    daphne: Daphne, job: Job, owner: Any
) -> None:
    runner = FakeRunner(job.pk)
    for start in range(0, CHUNKS, 32):
        await runner.write(
            ("stdout", (b"%07d " % i) + b"y" * (CHUNK - 9) + b"\n")
            for i in range(start, start + 32)
        )
    await runner.set_status("succeeded", exit_code=0)
    assert daphne.proc is not None
    server = psutil.Process(daphne.proc.pid)
    url = f"{daphne.url}/ws/jobs/{job.pk}/logs/"
    async with ws_connect(
        url, additional_headers=await token_headers(owner), max_size=None, max_queue=1
    ) as ws:
        frames = [json.loads(await ws.recv())]
        before = server.memory_info().rss
        # Stop reading for a while: without backpressure the server would now queue
        # the remaining ~40 MiB for this socket.
        await asyncio.sleep(3)
        grown = server.memory_info().rss - before
        async for raw in ws:
            frames.append(json.loads(raw))
    assert frames[-1] == {"type": "end", "status": "succeeded", "exit_code": 0}
    assert frames[:-1] == await stored_frames(job.pk)
    assert grown < 12 * 1024 * 1024, f"daphne grew by {grown / 2**20:.1f} MiB"
