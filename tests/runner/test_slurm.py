"""Jobs under a real single-node Slurm (tests/fixtures/slurm.py), submitted over the real
sshd: the job's own files are the truth, Slurm is asked what they cannot say."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drs.jobs.models import Job
from drs.jobs.services import job_cancel
from tests import factories
from tests.fixtures.slurm import Slurm
from tests.fixtures.sshd import Sshd, key_credential, ssh_server, user_processes
from tests.runner.conftest import assert_log_consistent, log_bytes, run, wait_for

# The sleeps' own argument marks this run's processes: another test run on this machine
# runs the same programs as the same user.
RUN = f"{os.getpid() % 100_000:05d}"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hpc(slurm_sshd: Sshd, transactional_db: None) -> Any:
    return ssh_server(slurm_sshd, name="hpc", scheduler="slurm", max_concurrent_jobs=50)


@pytest.fixture
def hpc_credential(owner: Any, hpc: Any, slurm_sshd: Sshd) -> Any:
    return key_credential(owner, hpc, slurm_sshd)


@pytest.fixture
def slurm_job(owner: Any, hpc: Any, hpc_credential: Any) -> Callable[..., Job]:
    def make(program: str, **extra: Any) -> Job:
        values: dict[str, Any] = {
            "title": "slurm test",
            "program": program,
            "interpreter": factories.interpreter("sh", "/bin/sh", []),
            "credential": hpc_credential,
        } | extra
        return Job.objects.create(owner=owner, server=hpc, **values)

    return make


@pytest.fixture
def idle(slurm: Slurm) -> Iterator[Slurm]:
    """Every test starts and ends with no job of the test user in the queue."""
    slurm.run("scancel", "-u", "drstest")
    yield slurm
    slurm.run("scancel", "-u", "drstest")


def status(job: Job) -> str:
    job.refresh_from_db()
    return job.status


def test_job_runs_under_slurm_with_exact_logs_and_code(
    idle: Slurm, slurm_job: Callable[..., Job]
) -> None:
    program = (
        'printf "id=%s cpus=%s partition=%s mem=%s\\n" "$SLURM_JOB_ID" "$SLURM_CPUS_PER_TASK"'
        ' "$SLURM_JOB_PARTITION" "$SLURM_MEM_PER_NODE"\n'
        "printf 'caf\\303\\251 \\001 no newline' >&2\n"
        "echo result > out.txt\n"
        "exit 7\n"
    )
    job = run(
        slurm_job(
            program,
            resources={"partition": "small", "cpus_per_task": 2, "memory_mb": 300},
            result_patterns=["*.txt"],
            timeout_seconds=90,
        )
    )
    assert job.status == "failed", job.error
    assert job.exit_code == 7
    assert job.scheduler_job_id.isdigit()
    assert log_bytes(job, "stdout") == (
        f"id={job.scheduler_job_id} cpus=2 partition=small mem=300\n".encode()
    )
    assert log_bytes(job, "stderr") == b"caf\xc3\xa9 \x01 no newline"
    assert_log_consistent(job)
    assert [r.path for r in job.results.all()] == ["out.txt"]
    assert job.started_at is not None and job.pending_reason == ""


def test_server_defaults_reach_slurm(idle: Slurm, slurm_job: Callable[..., Job], hpc: Any) -> None:
    hpc.default_resources = {"partition": "small", "cpus_per_task": 2}
    hpc.save()
    job = run(
        slurm_job(
            # No final newline: the program travels by SFTP, not in the submit script.
            'echo "$SLURM_JOB_PARTITION $SLURM_CPUS_PER_TASK"',
            resources={"cpus_per_task": 1},
        )
    )
    assert job.status == "succeeded", job.error
    assert log_bytes(job, "stdout") == b"small 1\n"


def test_sbatch_refusal_fails_at_once_naming_the_cause(
    idle: Slurm, slurm_job: Callable[..., Job]
) -> None:
    job = run(slurm_job("echo never\n", resources={"partition": "nosuch"}))
    assert job.status == "failed"
    assert "invalid partition specified: nosuch" in job.error
    assert job.scheduler_job_id == ""
    assert log_bytes(job) == b""


def test_pending_with_reason_then_cancel_pending_and_running(
    idle: Slurm, slurm_job: Callable[..., Job], run_in_thread: Callable[[Job], threading.Thread]
) -> None:
    blocker = slurm_job(f"echo busy; exec sleep 300.{RUN}\n", resources={"cpus_per_task": 2})
    run_in_thread(blocker)
    wait_for(lambda: status(blocker) == "running", "the blocker to run")
    waiting = slurm_job("echo ran > ran.txt\n", resources={"cpus_per_task": 2})
    run_in_thread(waiting)
    wait_for(
        lambda: status(waiting) == "pending" and waiting.pending_reason == "Resources",
        "the second job to wait for resources",
    )
    assert waiting.scheduler_state == "PENDING"
    assert idle.queue()[waiting.scheduler_job_id] == "PENDING"

    job_cancel(job=waiting)
    wait_for(lambda: status(waiting) == "cancelled", "the pending job to be cancelled")
    assert "never ran" in waiting.error
    assert idle.queue().get(waiting.scheduler_job_id) == "CANCELLED"
    assert waiting.started_at is None

    assert user_processes("drstest", f"sleep 300.{RUN}")
    job_cancel(job=blocker)
    wait_for(lambda: status(blocker) == "cancelled", "the running job to be cancelled")
    assert blocker.error == "Cancelled by request."
    assert log_bytes(blocker, "stdout") == b"busy\n"
    wait_for(
        lambda: not user_processes("drstest", f"sleep 300.{RUN}"), "no process of the job left", 30
    )
    wait_for(
        lambda: idle.queue().get(blocker.scheduler_job_id) not in ("RUNNING", "COMPLETING"),
        "Slurm to end the job",
        30,
    )


def test_scancel_outside_drs_is_cancelled_with_an_error(
    idle: Slurm, slurm_job: Callable[..., Job], run_in_thread: Callable[[Job], threading.Thread]
) -> None:
    job = slurm_job(f"echo up; exec sleep 301.{RUN}\n")
    thread = run_in_thread(job)
    wait_for(lambda: status(job) == "running", "the job to run")
    wait_for(lambda: log_bytes(job, "stdout") == b"up\n", "its first line")
    idle.run("scancel", job.scheduler_job_id)
    thread.join(60)
    assert status(job) == "cancelled"
    assert "outside DRS" in job.error
    assert log_bytes(job, "stdout") == b"up\n"
    wait_for(
        lambda: not user_processes("drstest", f"sleep 301.{RUN}"), "no process of the job left", 30
    )


@pytest.mark.slow
def test_walltime_is_timed_out(
    idle: Slurm, slurm_job: Callable[..., Job], run_in_thread: Callable[[Job], threading.Thread]
) -> None:
    """Slurm's shortest walltime is a minute and it checks limits about every 30 s."""
    job = slurm_job(f"echo tick; exec sleep 302.{RUN}\n", timeout_seconds=30)
    thread = run_in_thread(job)
    thread.join(240)
    assert status(job) == "timed_out", job.error
    assert "walltime" in job.error
    assert log_bytes(job, "stdout") == b"tick\n"
    wait_for(
        lambda: not user_processes("drstest", f"sleep 302.{RUN}"), "no process of the job left", 30
    )


SLOW_LINES = (
    "i=0\nwhile [ $i -lt 40 ]; do echo line $i; i=$((i + 1)); sleep 0.1; done\necho done >&2\n"
)
SLOW_EXPECTED = b"".join(f"line {i}\n".encode() for i in range(40))


def test_runner_sigkill_mid_job_keeps_exact_logs(
    idle: Slurm,
    slurm_job: Callable[..., Job],
    start_workers: Callable[..., Any],
) -> None:
    from drs.jobs.dispatch import dispatch

    workers = start_workers(workers=1, lease_seconds=3)
    jobs = [slurm_job(SLOW_LINES, title=f"slow {n}") for n in range(2)]
    dispatch(job.pk for job in jobs)
    wait_for(
        lambda: all(Job.objects.get(pk=j.pk).stdout_offset > 0 for j in jobs),
        "output of both jobs",
        90,
    )
    owner = Job.objects.get(pk=jobs[0].pk).lease_owner
    workers.kill(int(owner.split(":")[1]))
    wait_for(
        lambda: all(status(j) == "succeeded" for j in jobs),
        "the jobs to finish after the kill",
        120,
    )
    for job in jobs:
        assert log_bytes(job, "stdout") == SLOW_EXPECTED
        assert log_bytes(job, "stderr") == b"done\n"
        assert job.exit_code == 0
        assert_log_consistent(job)


def test_controller_down_for_30s_leaves_jobs_as_they_are(
    idle: Slurm, slurm_job: Callable[..., Job], run_in_thread: Callable[[Job], threading.Thread]
) -> None:
    import time

    running = slurm_job("echo a; sleep 20; echo b\n", resources={"cpus_per_task": 2})
    run_in_thread(running)
    wait_for(lambda: status(running) == "running", "the first job to run")
    waiting = slurm_job("echo second\n", resources={"cpus_per_task": 2})
    run_in_thread(waiting)
    wait_for(lambda: status(waiting) == "pending", "the second job to wait")
    idle.stop_controller()
    try:
        time.sleep(30)  # the outage under test, not a timing assertion
        assert status(running) in ("running", "succeeded")
        assert status(waiting) == "pending"
    finally:
        idle.start_controller()
    wait_for(lambda: status(running) == "succeeded", "the running job to finish", 120)
    assert log_bytes(running, "stdout") == b"a\nb\n"
    wait_for(
        lambda: status(waiting) == "succeeded", "the pending job to run after the restart", 180
    )
    assert log_bytes(waiting, "stdout") == b"second\n"
