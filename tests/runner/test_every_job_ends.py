"""Runner v2: every job reaches an end, against real sshd processes.

Tests that stop or re-key an sshd use a private one (`own_sshd`), never the session's."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from drs.jobs.models import Job
from drs.jobs.services import job_cancel
from drs.runner.logsink import Persister
from drs.runner.remote import LocalRemote, kill_script
from tests.fixtures.sshd import Sshd, _edit_authorized_keys, key_credential, ssh_server
from tests.runner.conftest import assert_log_consistent, log_bytes, run, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

TICKER = "import time\nfor i in range(100000):\n    print(i, flush=True)\n    time.sleep(0.2)\n"


def running(job: Job) -> Callable[[], bool]:
    return lambda: Job.objects.filter(pk=job.pk, status="running", last_seq__gte=1).exists()


def kill_group(job: Job) -> None:
    job.refresh_from_db()
    if job.remote_pgid:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(job.remote_pgid, signal.SIGKILL)


@pytest.fixture
def own_sshd(tmp_path: Path) -> Iterator[Sshd]:
    sshd = Sshd(tmp_path / "own-sshd").start()
    yield sshd
    sshd.stop()


@pytest.fixture
def own_job(owner: Any, own_sshd: Sshd, make_job: Callable[..., Job]) -> Callable[..., Job]:
    server = ssh_server(own_sshd, name="own", max_concurrent_jobs=10)
    credential = key_credential(owner, server, own_sshd)

    def make(program: str, **extra: Any) -> Job:
        return make_job(program, server=server, credential=credential, **extra)

    return make


def take_down(sshd: Sshd) -> None:
    """The host becomes unreachable: no listener, and the open connections drop."""
    assert sshd.proc is not None
    sessions = sshd.session_pids(sshd.key_user.name)
    sshd.proc.terminate()
    sshd.proc.wait(5)
    for pid in sessions:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# --- liveness ---------------------------------------------------------------------------


def test_dead_wrapper_without_exit_code_ends_lost(
    make_job: Callable[..., Job], run_in_thread: Callable[..., Any]
) -> None:
    job = make_job("sleep 600\n", interpreter="sh")
    thread = run_in_thread(job)
    wait_for(lambda: Job.objects.filter(pk=job.pk, status="running").exists(), "running")
    job.refresh_from_db()
    assert job.remote_pid and job.remote_pid_start
    # A host reboot or the OOM killer: the wrapper and the job die, no exit code is written.
    os.kill(job.remote_pid, signal.SIGKILL)
    kill_group(job)
    thread.join(60)
    job.refresh_from_db()
    assert job.status == "lost", job.error
    assert "wrapper" in job.error
    assert job.lease_owner == ""


def test_signals_reach_only_the_jobs_own_process_group(tmp_path: Path) -> None:
    """A recorded pgid whose start time no longer matches belongs to someone else now."""
    proc = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        remote = LocalRemote()
        asyncio.run(remote.run(kill_script(proc.pid, "12345-not-its-start", "TERM")))
        time.sleep(0.2)
        assert proc.poll() is None  # not ours: untouched
        start = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        asyncio.run(remote.run(kill_script(proc.pid, start, "TERM")))
        assert proc.wait(5) == -signal.SIGTERM
    finally:
        proc.kill()
        proc.wait()


# --- bounded reconnects ------------------------------------------------------------------


def test_cancel_while_host_unreachable_ends_cancelled(
    own_job: Callable[..., Job], own_sshd: Sshd, run_in_thread: Callable[..., Any]
) -> None:
    job = own_job(TICKER)
    thread = run_in_thread(job)
    wait_for(running(job), "running")
    take_down(own_sshd)
    try:
        job_cancel(job=Job.objects.get(pk=job.pk))
        thread.join(60)
        job.refresh_from_db()
        assert job.status == "cancelled", job.error
        assert "unreachable" in job.error
    finally:
        kill_group(job)


def test_unreachable_host_gives_up_and_ends_lost(
    own_job: Callable[..., Job], own_sshd: Sshd, run_in_thread: Callable[..., Any], settings: Any
) -> None:
    settings.DRS_SSH_GIVE_UP_SECONDS = 3
    job = own_job(TICKER)
    thread = run_in_thread(job)
    wait_for(running(job), "running")
    take_down(own_sshd)
    try:
        thread.join(60)
        job.refresh_from_db()
        assert job.status == "lost", job.error
        assert "DRS_SSH_GIVE_UP_SECONDS" in job.error
    finally:
        kill_group(job)


def test_removed_key_fails_the_job_at_once(
    own_job: Callable[..., Job], own_sshd: Sshd, run_in_thread: Callable[..., Any]
) -> None:
    job = own_job(TICKER)
    thread = run_in_thread(job)
    wait_for(running(job), "running")
    _edit_authorized_keys(own_sshd.key_user.name, remove=own_sshd.key_user.public_key.split()[1])
    own_sshd.drop_connections(own_sshd.key_user.name)
    try:
        thread.join(60)
        job.refresh_from_db()
        assert job.status == "failed", job.error
        assert "Authentication failed" in job.error
    finally:
        kill_group(job)


def test_changed_host_key_fails_the_job_at_once(
    own_job: Callable[..., Job], own_sshd: Sshd, run_in_thread: Callable[..., Any]
) -> None:
    job = own_job(TICKER)
    thread = run_in_thread(job)
    wait_for(running(job), "running")
    pinned = own_sshd.host_key_fingerprint
    take_down(own_sshd)
    own_sshd.start()  # same port, a new host key
    try:
        thread.join(60)
        job.refresh_from_db()
        assert job.status == "failed", job.error
        assert "Host key mismatch" in job.error
        assert pinned in job.error and own_sshd.host_key_fingerprint in job.error
    finally:
        kill_group(job)


def test_connection_dropped_during_start_reattaches(
    make_job: Callable[..., Job], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first launch attempt loses its connection right after the program upload: the
    runner reconnects and launches again; the launch is idempotent, the job runs once."""
    from drs.runner.remote import SshRemote

    real_run = SshRemote.run
    dropped: list[bool] = []

    async def run_then_drop(self: SshRemote, script: str) -> Any:
        result = await real_run(self, script)
        if "drs-wrap" in script and not dropped:
            dropped.append(True)
            self.conn.abort()  # launched, but the answer never arrives
            raise ConnectionResetError("connection lost")
        return result

    monkeypatch.setattr(SshRemote, "run", run_then_drop)
    job = run(make_job("import os\nprint('ran once', os.getpid() > 0)\n"))
    assert dropped
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == b"ran once True\n"


# --- data ----------------------------------------------------------------------------------


def test_trailing_incomplete_utf8_costs_nothing_while_quiet(
    make_job: Callable[..., Job], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_flush = Persister.flush

    async def counting_flush(self: Persister, sinks: Any, *, final: bool = False) -> None:
        calls.append(len(sinks))
        await real_flush(self, sinks, final=final)

    monkeypatch.setattr(Persister, "flush", counting_flush)
    job = run(
        make_job(
            "import sys, time\n"
            "sys.stdout.buffer.write(b'abc\\xe2\\x82'); sys.stdout.flush()\n"
            "time.sleep(3)\n"
            "sys.stdout.buffer.write(b'\\xac\\n'); sys.stdout.flush()\n"
        )
    )
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == "abc€\n".encode()
    assert_log_consistent(job)
    # 'abc' once, the held-back bytes never again until the rest arrives, then the end.
    assert len(calls) <= 5, calls


def test_database_refusing_a_result_fails_the_job(make_job: Callable[..., Job], sshd: Sshd) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce column lengths")
    deep = "/".join(["d" * 200] * 6)
    job = run(
        make_job(
            f"import os\nos.makedirs({deep!r})\nopen({deep + '/r.txt'!r}, 'w').write('x')\n",
            result_patterns=["*.txt"],
        )
    )
    assert job.status == "failed", job.error
    assert "database refused" in job.error
    assert job.lease_owner == ""


# --- hosts ------------------------------------------------------------------------------------


def test_rsa_pinned_host(owner: Any, tmp_path: Path, make_job: Callable[..., Job]) -> None:
    with Sshd(tmp_path / "rsa-sshd", host_key_type="ssh-rsa") as sshd:
        assert sshd.host_key.startswith("ssh-rsa ")
        server = ssh_server(sshd, name="rsa")
        job = run(
            make_job(
                "print('over rsa')\n", server=server, credential=key_credential(owner, server, sshd)
            )
        )
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == b"over rsa\n"


def test_scripts_run_under_sh_whatever_the_login_shell(
    owner: Any, server: Any, sshd: Sshd, make_job: Callable[..., Job]
) -> None:
    if sshd.tcsh_user is None:
        pytest.skip("tcsh is not installed (make test-deps installs it)")
    credential = key_credential(owner, server, sshd, user=sshd.tcsh_user)
    job = run(
        make_job(
            "import sys\nprint('out $HOME `x`')\nprint('err', file=sys.stderr)\n"
            "open('r.txt', 'w').write('result')\nsys.exit(3)\n",
            credential=credential,
            result_patterns=["*.txt"],
            environment={"GREETING": 'it\'s "quoted" $x'},
        )
    )
    assert job.status == "failed" and job.exit_code == 3, job.error
    assert log_bytes(job, "stdout") == b"out $HOME `x`\n"
    assert log_bytes(job, "stderr") == b"err\n"
    assert [r.path for r in job.results.all()] == ["r.txt"]


def test_missing_interpreter_is_named(make_job: Callable[..., Job]) -> None:
    from tests import factories

    job = make_job("print(1)\n")
    Job.objects.filter(pk=job.pk).update(
        interpreter=factories.interpreter("nope", "/nonexistent/python9", [])
    )
    job = run(Job.objects.get(pk=job.pk))
    assert job.status == "failed"
    assert job.exit_code == 127
    assert "/nonexistent/python9" in log_bytes(job, "stderr").decode()


# --- transports and the pool ------------------------------------------------------------------

BOTH_STREAMS = (
    "import sys\n"
    "for i in range(20000):\n"
    "    sys.stdout.write(f'{i:05d} héllo wörld ✓\\n')\n"
    "    if i % 997 == 0:\n"
    "        sys.stderr.write(f'progress {i}\\r'); sys.stderr.flush()\n"
    "sys.stdout.buffer.write(b'bad \\xff\\xfe bytes\\n')\n"
    "sys.exit(7)\n"
)


@pytest.mark.parametrize("transport", ["auto", "sftp"])
def test_both_transports_feed_the_same_exact_log(
    make_job: Callable[..., Job], settings: Any, transport: str
) -> None:
    settings.DRS_FOLLOW_TRANSPORT = transport
    job = run(make_job(BOTH_STREAMS))
    assert job.status == "failed" and job.exit_code == 7, job.error
    expected = "".join(f"{i:05d} héllo wörld ✓\n" for i in range(20000)).encode()
    assert log_bytes(job, "stdout") == expected + b"bad \xff\xfe bytes\n"
    assert (
        log_bytes(job, "stderr")
        == "".join(f"progress {i}\r" for i in range(0, 20000, 997)).encode()
    )
    assert_log_consistent(job)
    lines = [c.line for c in job.log_chunks.order_by("seq")]
    assert lines == sorted(lines) and lines[0] == 0
    assert job.line_count == 20001


def pooled_run(job_ids: list[str], sessions: Callable[[], int]) -> tuple[int, int]:
    """Run jobs concurrently in one runner: (connections it opened, most sshd sessions seen)."""
    from asgiref.sync import async_to_sync

    from drs.runner.process import Runner

    async def go() -> tuple[int, int]:
        runner = Runner()
        runner.start(listen=False)
        most = 0
        try:
            for job_id in job_ids:
                await runner.take(job_id)
            tasks = list(runner.tasks.values())
            while not all(t.done() for t in tasks):
                most = max(most, sessions())
                await asyncio.sleep(0.05)
            (link,) = runner.pool.links.values()
            return len(link.remotes), most
        finally:
            await runner.close()

    return async_to_sync(go)()


def test_jobs_share_one_connection_and_one_agent(make_job: Callable[..., Job], sshd: Sshd) -> None:
    jobs = [make_job(f"import time\nprint({n})\ntime.sleep(1)\nprint('done')\n") for n in range(6)]
    connections, most = pooled_run(
        [str(j.pk) for j in jobs], lambda: len(sshd.session_pids(sshd.key_user.name))
    )
    assert connections == 1
    assert most <= 1 + 1  # this runner's one connection (+ another test run's, at most)
    for n, job in enumerate(jobs):
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        assert log_bytes(job) == f"{n}\ndone\n".encode()


def test_pool_opens_another_connection_before_the_session_limit(
    make_job: Callable[..., Job], sshd: Sshd, settings: Any
) -> None:
    settings.DRS_SSH_MAX_SESSIONS = 3  # agent + SFTP + one exec channel per connection
    jobs = [make_job(f"print({n})\n") for n in range(6)]
    connections, _ = pooled_run([str(j.pk) for j in jobs], lambda: 0)
    assert 1 < connections <= 8
    for n, job in enumerate(jobs):
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        assert log_bytes(job) == f"{n}\n".encode()
