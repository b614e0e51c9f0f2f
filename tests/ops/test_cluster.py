"""Cluster mode: two `serve` nodes (daphne + worker tree each) on one PostgreSQL and Redis.

A job runs on node A's runners while a client follows it on node B's websocket; node A
dies entirely (SIGKILL to every process, like a power cut); node B's runners reattach
from the stored offsets and the client on B sees the whole log exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import websockets
from django.conf import settings

from drs.jobs.models import Job
from tests import factories
from tests.fixtures.daphne import Daphne
from tests.fixtures.serve import Serve
from tests.fixtures.sshd import Sshd
from tests.ops.conftest import wait_for
from tests.runner.conftest import log_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or "sqlite" in settings.DATABASES["default"]["ENGINE"],
        reason="cluster mode needs a shared PostgreSQL and Redis (make test-postgres)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
LINES = 3000
GATE = 2000
# Prints steadily; stops before line GATE until `release` exists, so node A surely dies
# mid-job and node B must resume from the offsets A stored.
PROGRAM = (
    "import os, time\n"
    f"for i in range({LINES}):\n"
    "    print(f'{i:05d} cluster line', flush=True)\n"
    "    if i % 100 == 0:\n"
    "        time.sleep(0.05)\n"
    f"    if i == {GATE}:\n"
    "        while not os.path.exists('release'):\n"
    "            time.sleep(0.05)\n"
)
EXPECTED = "".join(f"{i:05d} cluster line\n" for i in range(LINES))


def node_env(name: str) -> dict[str, str]:
    """A node on the test database and Redis, with one runner and short leases."""
    return Daphne().environment() | {
        "DRS_NODE_NAME": name,
        "DRS_WORKERS": "1",
        "DRS_LEASE_SECONDS": "3",
        "DRS_CANCEL_GRACE_SECONDS": "1",
        "DRS_ALLOWED_SSH_NETWORKS": "127.0.0.0/8",
        "PYTHONUNBUFFERED": "1",
    }


class Follower(threading.Thread):
    """A websocket client on one node: every frame in seq order, resuming after drops."""

    def __init__(self, port: int, job_id: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url = f"ws://127.0.0.1:{port}/ws/jobs/{job_id}/logs/"
        self.token = token
        self.frames: list[dict[str, Any]] = []
        self.end: dict[str, Any] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self.follow())
        except BaseException as exc:  # reported by the test
            self.error = exc

    async def follow(self) -> None:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            after = self.frames[-1]["seq"] if self.frames else 0
            with contextlib.suppress(OSError, websockets.ConnectionClosed):
                async with websockets.connect(
                    f"{self.url}?after={after}",
                    additional_headers={"Authorization": f"Token {self.token}"},
                    max_size=None,
                    open_timeout=30,
                ) as ws:
                    async for raw in ws:
                        frame = json.loads(raw)
                        if frame["type"] == "end":
                            self.end = frame
                            return
                        expected = (self.frames[-1]["seq"] if self.frames else 0) + 1
                        assert frame["seq"] == expected, (frame["seq"], expected)
                        self.frames.append(frame)
            await asyncio.sleep(0.5)


def test_node_b_takes_over_a_job_when_node_a_dies(
    sshd: Sshd, owner: Any, ssh_job: Callable[..., Job], serve_node: Callable[..., Serve]
) -> None:
    token = factories.token(owner)
    data = Path(os.environ["DRS_DATA_DIR"])
    node_a = serve_node("node-a", node_env("node-a"), data / "node-a.log")
    node_b = serve_node("node-b", node_env("node-b"), data / "node-b.log")
    health = "/api/health/?checks=database,channel_layer"
    try:
        node_a.start(health, timeout=60)
        job = ssh_job(PROGRAM, server_name="cluster-sshd", title="cluster")
        wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 2, "node A to run the job")
        owner_a = Job.objects.get(pk=job.pk).lease_owner
        node_b.start(health, timeout=60)
        follower = Follower(node_b.port, str(job.pk), token)
        follower.start()
        wait_for(lambda: len(follower.frames) >= 2, "the client on node B to get chunks")

        killed = time.monotonic()
        node_a.kill()
        job.refresh_from_db()
        (sshd.key_user.home / job.remote_directory / "release").touch()

        def taken_over() -> bool:
            lease_owner = Job.objects.get(pk=job.pk).lease_owner
            return bool(lease_owner) and lease_owner != owner_a

        wait_for(taken_over, "node B to take the job over")
        takeover = time.monotonic() - killed
        follower.join(240)
        assert follower.error is None, follower.error
        print(f"\ncluster: node B took the job over {takeover:.1f} s after node A died")
    finally:
        node_a.stop()
        node_b.stop()
    job.refresh_from_db()
    assert job.status == "succeeded", (job.error, node_b.log())
    assert log_bytes(job, "stdout") == EXPECTED.encode()
    assert follower.end == {"type": "end", "status": "succeeded", "exit_code": 0}
    assert "".join(f["data"] for f in follower.frames if f["stream"] == "stdout") == EXPECTED
    assert [f["seq"] for f in follower.frames] == list(range(1, job.last_seq + 1))
