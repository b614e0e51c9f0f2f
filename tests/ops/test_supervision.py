"""The supervised worker tree (`manage.py workers`): SIGKILL of any single process never
stops job processing, and a stalled tree (every runner stuck while jobs wait) is
restarted whole."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from typing import Any

import psutil
import pytest

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job
from tests.fixtures.sshd import Sshd
from tests.fixtures.workers import Workers
from tests.ops.conftest import wait_for
from tests.runner.conftest import log_bytes

pytestmark = pytest.mark.django_db(transaction=True)

LINES = 2000
# Prints a steady trickle, then waits for `release` before its last 500 lines, so every
# kill lands while the job runs.
PROGRAM = (
    "import os, time\n"
    f"for i in range({LINES}):\n"
    "    print(f'{i:05d} supervised line', flush=(i % 50 == 0))\n"
    "    if i % 100 == 0:\n"
    "        time.sleep(0.05)\n"
    f"    if i == {LINES - 501}:\n"
    "        while not os.path.exists('release'):\n"
    "            time.sleep(0.05)\n"
)
EXPECTED = b"".join(f"{i:05d} supervised line\n".encode() for i in range(LINES))


def release_all(sshd: Sshd, jobs: list[Job]) -> None:
    for job in jobs:
        job.refresh_from_db()
        if job.remote_directory:
            (sshd.key_user.home / job.remote_directory / "release").touch()


def finish_exactly(sshd: Sshd, jobs: list[Job], workers: Workers) -> None:
    def all_done() -> bool:
        release_all(sshd, jobs)
        return all(Job.objects.get(pk=j.pk).status in TERMINAL_STATUSES for j in jobs)

    try:
        wait_for(all_done, "every job to finish", timeout=180)
    except BaseException:
        print(workers.log_text()[-6000:])
        raise
    for job in jobs:
        job.refresh_from_db()
        assert job.status == "succeeded", (job.title, job.error)
        assert log_bytes(job, "stdout") == EXPECTED, job.title


def tree(workers: Workers) -> dict[str, list[int]]:
    """The tree's processes by kind: runners, and the django-q2 scheduler's parts."""
    assert workers.proc is not None
    main = psutil.Process(workers.proc.pid)
    kinds: dict[str, list[int]] = {"runner": [], "qcluster": []}
    for child in main.children():
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                continue  # killed, not yet reaped by the supervisor
            cmdline = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if cmdline.endswith(" runner"):
            kinds["runner"].append(child.pid)
        elif cmdline.endswith(" tasks"):  # django-q2's cluster (`manage.py tasks`)
            kinds["qcluster"].append(child.pid)
    # django-q2 logs the pid of each part it starts; the sentinel is the cluster's child.
    log = workers.log_text()
    for kind, marker in (
        ("q-worker", "ready for work at "),
        ("q-monitor", "monitoring at "),
        ("q-pusher", "pushing tasks at "),
    ):
        kinds[kind] = [
            int(line.rsplit(" ", 1)[1])
            for line in log.splitlines()
            if marker in line and psutil.pid_exists(int(line.rsplit(" ", 1)[1]))
        ]
    kinds["q-sentinel"] = []
    for pid in kinds["qcluster"]:
        with contextlib.suppress(psutil.Error):
            kinds["q-sentinel"] += [p.pid for p in psutil.Process(pid).children()]
    return kinds


@pytest.fixture
def reap_group() -> Any:
    """Killing a django-q2 sentinel or cluster process orphans its children (they keep
    running under init); they stay in the tree's process group, so end that group."""
    groups: list[int] = []
    yield groups.append
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


def busy_runner(jobs: list[Job]) -> int | None:
    for job in jobs:
        job.refresh_from_db()
        if job.lease_owner and job.status not in TERMINAL_STATUSES:
            return int(job.lease_owner.split(":")[1])
    return None


def test_sigkill_of_any_single_process_never_stops_job_processing(
    sshd: Sshd, ssh_job: Callable[..., Job], start_workers: Callable[..., Workers], reap_group: Any
) -> None:
    workers = start_workers(workers=2)
    assert workers.proc is not None
    reap_group(workers.proc.pid)  # the fixture starts the tree in its own session
    server = {"server_name": "supervised-sshd", "server_options": {"max_concurrent_jobs": 10}}
    wait_for(lambda: len(tree(workers)["q-pusher"]) == 1, "the scheduler to start")
    jobs = [ssh_job(PROGRAM, title=f"before-{i}", **server) for i in range(2)]
    wait_for(lambda: all(Job.objects.get(pk=j.pk).last_seq >= 1 for j in jobs), "jobs to run")

    killed: list[str] = []
    for kind in ("q-worker", "q-pusher", "q-monitor", "q-sentinel", "qcluster", "busy-runner"):
        if kind == "busy-runner":
            pid = busy_runner(jobs)
        else:
            # The part may be between a death and its replacement (killing the sentinel
            # ends its cluster, which the supervisor then starts again).
            wait_for(lambda kind=kind: bool(tree(workers)[kind]), f"a {kind} process", timeout=60)
            pids = tree(workers)[kind]
            pid = pids[0] if pids else None
        assert pid is not None, f"no {kind} process to kill: {tree(workers)}"
        os.kill(pid, signal.SIGKILL)
        killed.append(kind)
        # Processing goes on after every kill: a new job runs to its first chunk.
        job = ssh_job(PROGRAM, title=f"after-{kind}", **server)
        jobs.append(job)
        wait_for(lambda job=job: Job.objects.get(pk=job.pk).last_seq >= 1, f"a job after {kind}")
    # The supervisor replaced what died: two runners again and a scheduler.
    wait_for(lambda: len(tree(workers)["runner"]) == 2, "the runner to be replaced")
    wait_for(lambda: len(tree(workers)["qcluster"]) == 1, "the scheduler to be replaced")
    finish_exactly(sshd, jobs, workers)
    assert killed == ["q-worker", "q-pusher", "q-monitor", "q-sentinel", "qcluster", "busy-runner"]


def test_a_stalled_tree_is_restarted_whole(
    sshd: Sshd, ssh_job: Callable[..., Job], start_workers: Callable[..., Workers]
) -> None:
    # Heartbeats every 5 s; silent for 8 s while a job waits = stalled.
    workers = start_workers(workers=2, extra_env={"DRS_HEALTH_HEARTBEAT_MAX_AGE": "8"})
    server = {"server_name": "stalled-sshd", "server_options": {"max_concurrent_jobs": 10}}
    job = ssh_job(PROGRAM, title="stalled", **server)
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 1, "the job to run")
    runners = tree(workers)["runner"]
    assert len(runners) == 2
    # Every runner stops dead: alive (nothing exits, so nothing is restarted) but silent.
    for pid in runners:
        os.kill(pid, signal.SIGSTOP)
    stopped = time.monotonic()

    def replaced() -> bool:
        current = tree(workers)["runner"]
        return len(current) == 2 and not set(current) & set(runners)

    wait_for(replaced, "the stalled tree to be replaced", timeout=120)
    print(f"\nstalled tree restarted {time.monotonic() - stopped:.1f} s after its runners stopped")
    finish_exactly(sshd, [job], workers)
