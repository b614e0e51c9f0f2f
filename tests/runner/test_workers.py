"""A real worker tree (runner processes): recovery after SIGKILL, graceful stop,
per-server concurrency, FIFO."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.dispatch import dispatch
from drs.jobs.models import Job
from drs.jobs.services import job_create
from tests.fixtures.sshd import Sshd
from tests.fixtures.workers import Workers
from tests.runner.conftest import assert_log_consistent, log_bytes
from tests.runner.conftest import wait_for as wait_until

pytestmark = pytest.mark.django_db(transaction=True)

LINES = 100_000
HALF = LINES // 2
# Prints the first half fast, the second half slowly, and blocks before the last 1,000
# lines until a `release` file appears in its directory: the test kills the worker while
# the job is printing, and the job can never finish before the kill.
NUMBERS = (
    "import os, sys, time\n"
    f"for i in range({LINES}):\n"
    "    sys.stdout.write(f'{i:06d} the quick brown fox\\n')\n"
    "    if i % 1000 == 0:\n"
    "        sys.stdout.flush()\n"
    f"        if i >= {HALF} and not os.path.exists('release'):\n"
    "            time.sleep(0.05)\n"
    f"    if i == {LINES - 1001}:\n"
    "        sys.stdout.flush()\n"
    "        while not os.path.exists('release'):\n"
    "            time.sleep(0.05)\n"
)
EXPECTED = b"".join(f"{i:06d} the quick brown fox\n".encode() for i in range(LINES))
FIRST_HALF = len(EXPECTED) // 2


def release(sshd: Sshd, job: Job) -> None:
    job.refresh_from_db()
    (sshd.key_user.home / job.remote_directory / "release").touch()


def half_stored(job: Job) -> bool:
    return Job.objects.get(pk=job.pk).stdout_offset >= FIRST_HALF


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 120) -> None:
    wait_until(predicate, what, timeout, step=0.1)


def finished(*jobs: Job) -> bool:
    return all(Job.objects.get(pk=job.pk).status in TERMINAL_STATUSES for job in jobs)


def worker_pid(job: Job) -> int:
    job.refresh_from_db()
    return int(job.lease_owner.split(":")[1])


@pytest.mark.parametrize("count", [1, 3])
def test_worker_sigkill_mid_job_loses_and_duplicates_nothing(
    make_job: Callable[..., Job],
    start_workers: Callable[..., Workers],
    sshd: Sshd,
    count: int,
) -> None:
    workers = start_workers(workers=count, lease_seconds=3)
    jobs = [make_job(NUMBERS, title=f"numbers {n}") for n in range(count)]
    dispatch(job.pk for job in jobs)
    # Kill the runners of the jobs once the first half of each output is stored.
    wait_for(lambda: all(half_stored(j) for j in jobs), "the first halves")
    killed = {worker_pid(job) for job in jobs}
    for pid in killed:
        workers.kill(pid)
    for job in jobs:
        job.refresh_from_db()
        assert job.status == "running"
        assert FIRST_HALF <= job.stdout_offset < len(EXPECTED)
        release(sshd, job)
    # No reaper call and no lease expiry: the supervisor hands the jobs over at once.
    wait_for(lambda: finished(*jobs), "the jobs to finish after the kill", timeout=120)
    for job in jobs:
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        assert worker_pid_or_none(job) is None
        assert log_bytes(job, "stdout") == EXPECTED
        assert_log_consistent(job)


def worker_pid_or_none(job: Job) -> int | None:
    return int(job.lease_owner.split(":")[1]) if job.lease_owner else None


def test_twenty_jobs_on_a_server_capped_at_two(
    owner: Any, server: Any, credential: Any, start_workers: Callable[..., Workers]
) -> None:
    from tests import factories

    server.max_concurrent_jobs = 2
    server.save()
    start_workers(workers=4, lease_seconds=5)
    jobs = [
        job_create(
            owner=owner,
            title=f"job {n}",
            server=server,
            credential=credential,
            interpreter=factories.interpreter("sh", "/bin/sh", []),
            program=f"sleep 0.3\necho {n}\n",
        )
        for n in range(20)
    ]
    wait_for(lambda: finished(*jobs), "all 20 jobs", timeout=180)
    rows = list(Job.objects.filter(pk__in=[j.pk for j in jobs]).order_by("created_at"))
    assert [r.status for r in rows] == ["succeeded"] * 20, [r.error for r in rows]
    for _n, row in enumerate(rows):
        assert log_bytes(row) == f"{int(row.title.split()[1])}\n".encode()
    # Never more than 2 at once: at each start, at most one other job was running.
    for row in rows:
        overlapping = [
            o for o in rows if o.pk != row.pk and o.started_at <= row.started_at < o.finished_at
        ]
        assert len(overlapping) <= 1
    # FIFO: when job k got its slot, at least k-1 of the jobs before it had finished.
    for k, row in enumerate(rows):
        done_before = sum(1 for o in rows[:k] if o.finished_at <= row.started_at)
        assert done_before >= k - 1, (k, done_before)


def test_graceful_stop_releases_the_lease_at_once(
    make_job: Callable[..., Job], start_workers: Callable[..., Workers], sshd: Sshd
) -> None:
    workers = start_workers(workers=1, lease_seconds=30)
    job = make_job(NUMBERS)
    dispatch([job.pk])
    wait_for(lambda: half_stored(job), "the first half")
    workers.stop()
    job.refresh_from_db()
    assert job.status == "running"
    assert job.lease_owner == ""  # not 30 s of waiting for the lease to expire
    release(sshd, job)
    workers.start()
    wait_for(lambda: finished(job), "the job to finish after the restart", timeout=60)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job, "stdout") == EXPECTED
    assert_log_consistent(job)


def test_cluster_start_reaps_orphaned_jobs(
    make_job: Callable[..., Job], start_workers: Callable[..., Workers], sshd: Sshd
) -> None:
    """The node dies with a job running; when the runners start again they pick the job
    up by themselves (their reaper scan), with no call from the test."""
    workers = start_workers(workers=1, lease_seconds=3)
    job = make_job(NUMBERS)
    dispatch([job.pk])
    wait_for(lambda: half_stored(job), "the first half")
    workers.crash()
    from django.utils import timezone

    wait_for(lambda: Job.objects.get(pk=job.pk).lease_expires_at < timezone.now(), "lease expiry")
    release(sshd, job)
    workers.start()
    wait_for(lambda: finished(job), "the job to finish after the restart")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job, "stdout") == EXPECTED
    assert_log_consistent(job)
