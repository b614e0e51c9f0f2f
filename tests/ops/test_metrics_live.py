"""`/metrics` values follow a real job run by real runner processes over SSH
(multiprocess: the runner processes write, the web process reads)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drs.jobs.models import Job, LogChunk
from tests.fixtures.sshd import Sshd
from tests.fixtures.workers import Workers
from tests.ops.conftest import wait_for
from tests.ops.test_metrics import scrape

pytestmark = pytest.mark.django_db(transaction=True)

LINES = 5000
# Waits for a `release` file in its job dir, so the test scrapes while it surely runs.
PROGRAM = (
    "import os, time\n"
    f"for i in range({LINES // 2}):\n"
    "    print(f'{i:05d} metrics line', flush=(i % 500 == 0))\n"
    "while not os.path.exists('release'):\n"
    "    time.sleep(0.05)\n"
    f"for i in range({LINES // 2}, {LINES}):\n"
    "    print(f'{i:05d} metrics line')\n"
)


def test_values_follow_a_running_job(
    sshd: Sshd, ssh_job: Callable[..., Job], start_workers: Callable[..., Workers]
) -> None:
    start_workers(workers=1)
    before = scrape()
    job = ssh_job(PROGRAM, server_name="metrics-sshd", title="metrics")
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 1, "the first chunk")
    during = scrape()
    assert during[("drs_jobs", (("status", "running"),))] == 1
    assert during[("drs_jobs_followed", ())] >= 1
    assert during[("drs_ssh_connections", ())] >= 1
    assert during[("drs_log_chunks_total", ())] > before.get(("drs_log_chunks_total", ()), 0)

    job.refresh_from_db()
    (sshd.key_user.home / job.remote_directory / "release").touch()
    wait_for(lambda: Job.objects.get(pk=job.pk).status == "succeeded", "the job to succeed")
    # The runner counts a chunk after its commit: give the last count a moment to land.
    chunks = LogChunk.objects.filter(job=job)
    stored = sum(len(bytes(chunk.data)) for chunk in chunks)
    assert stored == sum(len(f"{i:05d} metrics line\n") for i in range(LINES))

    def counted() -> bool:
        after = scrape()
        return (
            after[("drs_log_bytes_total", ())] - before.get(("drs_log_bytes_total", ()), 0)
            == stored
            and after[("drs_log_chunks_total", ())] - before.get(("drs_log_chunks_total", ()), 0)
            == chunks.count()
        )

    wait_for(counted, "log bytes and chunks counted", timeout=30)
    after = scrape()
    assert after[("drs_jobs", (("status", "succeeded"),))] == 1
    assert after[("drs_jobs", (("status", "running"),))] == 0
    assert after[("drs_publish_lag_seconds_count", ())] >= chunks.count()
