"""A connection lost after launch (while results are collected, on a half-dead pooled
connection) is a reconnect-and-resume like any other: the job ends with its own exit
status and every result, and the runner's catch-all for programming errors never sees it.

Real sshd processes: the connection is dropped by killing (or freezing) the
`sshd: user@notty` process that holds its socket (docs/reliability.md)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drs.jobs.models import Job, Result
from tests.fixtures.sshd import Sshd, key_credential, ssh_server
from tests.runner.conftest import run, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

RESULTS = 400
WRITE_RESULTS = (
    "import os\n"
    "os.makedirs('out', exist_ok=True)\n"
    f"for i in range({RESULTS}):\n"
    "    with open(f'out/r{i:04d}.txt', 'w') as fh:\n"
    "        fh.write(f'result {i}\\n' * 50)\n"
    "print('wrote them')\n"
)


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Sshd]:
    sshd = Sshd(tmp_path / "sshd").start()
    yield sshd
    sshd.stop()


@pytest.fixture
def results_job(owner: Any, host: Sshd, make_job: Callable[..., Job]) -> Job:
    server = ssh_server(host, name="drops", max_concurrent_jobs=10)
    credential = key_credential(owner, server, host)
    return make_job(
        WRITE_RESULTS, server=server, credential=credential, result_patterns=["out/*.txt"]
    )


def stored(job: Job) -> int:
    return Result.objects.filter(job=job).count()


def assert_all_collected(job: Job, caplog: pytest.LogCaptureFixture) -> None:
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.exit_code == 0
    assert job.error == ""
    sizes = dict(Result.objects.filter(job=job).values_list("path", "size"))
    assert sizes == {f"out/r{i:04d}.txt": len(f"result {i}\n") * 50 for i in range(RESULTS)}
    assert "unexpected runner error" not in caplog.text


def test_connection_killed_during_result_collection(
    results_job: Job,
    host: Sshd,
    run_in_thread: Callable[[Job], Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="drs")
    thread = run_in_thread(results_job)
    wait_for(lambda: stored(results_job) >= 20, "result collection to begin", step=0.01)
    assert host.drop_connections() >= 1
    at_drop = stored(results_job)
    thread.join(120)
    assert at_drop < RESULTS, "collection ended before the connection was dropped"
    assert_all_collected(results_job, caplog)
    assert "connection lost" in caplog.text


def test_half_dead_connection_during_result_collection(
    results_job: Job,
    host: Sshd,
    run_in_thread: Callable[[Job], Any],
    caplog: pytest.LogCaptureFixture,
    settings: Any,
) -> None:
    """The pooled connection stops answering (its sshd process frozen, the TCP connection
    open): keepalive declares it lost, and collection resumes on a new connection."""
    settings.DRS_SSH_KEEPALIVE_SECONDS = 1
    caplog.set_level(logging.INFO, logger="drs")
    thread = run_in_thread(results_job)
    wait_for(lambda: stored(results_job) >= 20, "result collection to begin", step=0.01)
    frozen = host.session_pids()
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        at_freeze = stored(results_job)
        thread.join(120)
    finally:
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                os.kill(pid, signal.SIGCONT)
    assert frozen and at_freeze < RESULTS
    assert_all_collected(results_job, caplog)


def test_unreadable_result_is_a_note_not_a_runner_error(
    make_job: Callable[..., Job], caplog: pytest.LogCaptureFixture
) -> None:
    """An error on a live connection that concerns one file skips that file, named."""
    job = make_job(
        "import os\n"
        "open('a.txt', 'w').write('a')\n"
        "open('b.txt', 'w').write('b')\n"
        "os.chmod('b.txt', 0)\n",
        result_patterns=["*.txt"],
    )
    run(job)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert list(Result.objects.filter(job=job).values_list("path", flat=True)) == ["a.txt"]
    assert job.error.startswith("Result b.txt skipped: "), job.error
    assert "unexpected runner error" not in caplog.text
