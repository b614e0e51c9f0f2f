"""Dropped connections, vanished job dirs, leases and the reaper (in-process)."""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from drs.jobs.models import Job
from drs.runner import lease
from drs.runner.process import run_job
from tests.fixtures.sshd import Sshd
from tests.runner.conftest import assert_log_consistent, log_bytes, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

LINES = 30_000
# Blocks before its last 1,000 lines until a `release` file appears in its directory:
# a disruption the test causes always lands while the job is still running.
PROGRAM = (
    "import os, sys, time\n"
    f"for i in range({LINES}):\n"
    "    sys.stdout.write(f'{i:05d} line\\n')\n"
    "    if i % 1000 == 0:\n"
    "        sys.stdout.flush()\n"
    "        time.sleep(0.1)\n"
    f"    if i == {LINES - 1001}:\n"
    "        sys.stdout.flush()\n"
    "        while not os.path.exists('release'):\n"
    "            time.sleep(0.05)\n"
)
EXPECTED = b"".join(f"{i:05d} line\n".encode() for i in range(LINES))


def release(sshd: Sshd, job: Job) -> None:
    job.refresh_from_db()
    (sshd.key_user.home / job.remote_directory / "release").touch()


def test_dropped_connection_reconnects_and_log_is_exact(
    make_job: Callable[..., Job],
    run_in_thread: Callable[..., Any],
    sshd: Sshd,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="drs.runner")
    job = make_job(PROGRAM)
    thread = run_in_thread(job)
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 2, "first chunks")
    assert sshd.drop_connections(sshd.key_user.name) >= 1
    release(sshd, job)
    thread.join(120)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == EXPECTED
    assert_log_consistent(job)
    assert "reconnected" in caplog.text


def test_frozen_connection_is_detected_by_keepalive(
    make_job: Callable[..., Job],
    run_in_thread: Callable[..., Any],
    sshd: Sshd,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The process serving the connection is frozen (SIGSTOP): TCP stays up but nothing
    answers, like a link that went down. Keepalive declares it lost; the runner reconnects."""
    import os
    import signal

    settings.DRS_SSH_KEEPALIVE_SECONDS = 1
    caplog.set_level(logging.INFO, logger="drs.runner")
    job = make_job(PROGRAM)
    thread = run_in_thread(job)
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 2, "first chunks")
    frozen = sshd.session_pids(sshd.key_user.name)
    assert frozen
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        release(sshd, job)
        thread.join(120)
    finally:
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                os.kill(pid, signal.SIGCONT)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == EXPECTED
    assert_log_consistent(job)
    assert "reconnected" in caplog.text


def test_vanished_job_dir_is_lost(
    make_job: Callable[..., Job], run_in_thread: Callable[..., Any], sshd: Sshd
) -> None:
    job = make_job("import time\nprint('up', flush=True)\ntime.sleep(8)\n")
    thread = run_in_thread(job)
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 1, "the job to run")
    shutil.rmtree(sshd.key_user.home / ".drs" / "jobs" / str(job.pk))
    thread.join(60)
    job.refresh_from_db()
    assert job.status == "lost"
    assert "vanished" in job.error


def test_reattach_after_worker_death_in_process(
    make_job: Callable[..., Job], run_in_thread: Callable[..., Any], sshd: Sshd
) -> None:
    """A job whose lease expired is picked up by the next task from the stored offsets
    (the worker 'died': we take its lease away and expire it)."""
    job = make_job(PROGRAM)
    thread = run_in_thread(job)
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 2, "first chunks")
    # Steal the lease: the first runner notices on its next write and stops at once.
    Job.objects.filter(pk=job.pk).update(
        lease_owner="dead-worker:1:x", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    thread.join(60)
    job.refresh_from_db()
    assert job.status == "running"
    assert job.lease_owner == "dead-worker:1:x"
    release(sshd, job)
    assert [str(job.pk)] == [j for j in lease.reap() if j == str(job.pk)]
    run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == EXPECTED
    assert_log_consistent(job)


def test_task_for_a_leased_or_finished_job_exits_at_once(make_job: Callable[..., Job]) -> None:
    job = make_job("print('x')\n")
    Job.objects.filter(pk=job.pk).update(
        status="running",
        lease_owner="other:1:y",
        lease_expires_at=timezone.now() + timedelta(seconds=60),
    )
    started = time.monotonic()
    run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == "running"
    assert job.lease_owner == "other:1:y"
    assert time.monotonic() - started < 5
    Job.objects.filter(pk=job.pk).update(status="succeeded", lease_owner="")
    run_job(str(job.pk))
    assert Job.objects.get(pk=job.pk).status == "succeeded"


def test_claim_is_exclusive(make_job: Callable[..., Job]) -> None:
    job = make_job("print('x')\n")
    assert not lease.claim(str(job.pk), "a")  # queued: not reserved yet
    assert lease.reserve_slots(job.server_id) == [str(job.pk)]
    assert lease.claim(str(job.pk), "a")
    assert not lease.claim(str(job.pk), "b")
    assert str(job.pk) in lease.renew_and_check("a", [str(job.pk)], renew=True)
    assert str(job.pk) not in lease.renew_and_check("b", [str(job.pk)], renew=True)


def test_queue_limit_and_fifo_reservation(make_job: Callable[..., Job], server: Any) -> None:
    server.max_concurrent_jobs = 2
    server.save()
    jobs = [make_job(f"print({n})\n") for n in range(5)]
    assert lease.reserve_slots(server.pk) == [str(j.pk) for j in jobs[:2]]
    assert lease.reserve_slots(server.pk) == []
    Job.objects.filter(pk=jobs[0].pk).update(status="succeeded")
    assert lease.reserve_slots(server.pk) == [str(jobs[2].pk)]


def test_admit_and_claim_keeps_the_cap_and_the_order(
    make_job: Callable[..., Job], server: Any
) -> None:
    """A dispatched queued job: the oldest queued jobs are reserved within the cap, and
    the dispatched one is claimed if it is among them (on PostgreSQL in one statement)."""
    server.max_concurrent_jobs = 2
    server.save()
    jobs = [make_job(f"print({n})\n") for n in range(4)]
    ids = [str(j.pk) for j in jobs]
    assert lease.admit_and_claim(ids[1], "a") == (True, [ids[0]])
    states = {j.pk: j for j in Job.objects.filter(pk__in=ids)}
    assert (states[jobs[1].pk].status, states[jobs[1].pk].lease_owner) == ("starting", "a")
    assert states[jobs[1].pk].lease_expires_at > timezone.now()
    assert (states[jobs[0].pk].status, states[jobs[0].pk].lease_owner) == ("starting", "")
    assert lease.admit_and_claim(ids[3], "a") == (False, [])  # the cap is full
    assert Job.objects.get(pk=ids[3]).status == "queued"
    assert lease.admit_and_claim(ids[0], "b") == (True, [])  # reserved: a plain claim
    assert lease.admit_and_claim(ids[0], "c") == (False, [])
    Job.objects.filter(pk=ids[1]).update(status="succeeded")
    assert lease.admit_and_claim(ids[3], "a") == (False, [ids[2]])  # FIFO: job 2 first
    server.enabled = False
    server.save()
    Job.objects.filter(pk=ids[0]).update(status="succeeded")
    assert lease.admit_and_claim(ids[3], "a") == (False, [])  # a disabled server admits none


def test_q_cluster_never_times_out_tasks(settings: Any) -> None:
    assert "timeout" not in settings.Q_CLUSTER
    assert settings.Q_CLUSTER["retry"] > 24 * 3600


def test_unexpected_error_fails_the_job_with_a_human_error(
    make_job: Callable[..., Job], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> list[str]:
        raise RuntimeError("bug in the runner")

    monkeypatch.setattr("drs.runner.jobrun.collect_results", broken)
    job = make_job("print('done')\n")
    run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("Internal runner error")
    assert "bug in the runner" not in job.error
    assert job.lease_owner == ""
