"""A job on a connection whose follower agent is up starts through the agent (no SSH
channel, no login shell): the same wrapper, the same files, the same guarantees."""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connections

from drs.jobs.jobdir import job_command
from drs.jobs.models import Job
from drs.jobs.services import job_cancel
from drs.runner.agent import AgentClient, AgentError
from drs.runner.pool import Link
from drs.runner.process import Runner
from drs.runner.remote import WRAPPER, SshRemote
from drs.runner.ssh import open_connection
from tests.fixtures.sshd import Sshd, user_processes, wait_for_processes
from tests.runner.conftest import log_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scripts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every script the runner ran over an exec channel."""
    ran: list[str] = []
    real_run = SshRemote.run

    async def recording_run(self: SshRemote, script: str) -> Any:
        ran.append(script)
        return await real_run(self, script)

    monkeypatch.setattr(SshRemote, "run", recording_run)
    return ran


def run_in_order(jobs: list[Job]) -> None:
    """One runner takes the jobs one after the other, each once the previous ended."""

    async def go() -> None:
        runner = Runner()
        runner.start(listen=False)
        try:
            for job in jobs:
                assert await runner.take(str(job.pk))
                task = runner.tasks.get(str(job.pk))
                if task is not None:
                    await task
        finally:
            await runner.close()

    async_to_sync(go)()


def launched_by_script(scripts: list[str], job: Job) -> bool:
    return any("drs-wrap" in s and str(job.pk) in s for s in scripts)


def test_a_warm_job_starts_through_the_agent(
    make_job: Callable[..., Job], scripts: list[str]
) -> None:
    first = make_job("print('cold')\n")
    warm = make_job(
        "import os, sys\nprint('warm', os.environ['GREETING'])\nprint('err', file=sys.stderr)\n"
        "open('out.txt', 'w').write('result')\nsys.exit(4)\n",
        environment={"GREETING": "it's $HOME"},
        result_patterns=["*.txt"],
    )
    run_in_order([first, warm])
    first.refresh_from_db()
    warm.refresh_from_db()
    assert first.status == "succeeded", first.error
    assert launched_by_script(scripts, first)  # a new connection has no agent yet
    assert not launched_by_script(scripts, warm)
    assert warm.status == "failed" and warm.exit_code == 4, warm.error
    assert warm.remote_pgid and warm.remote_pid and warm.remote_pid_start
    assert log_bytes(warm, "stdout") == b"warm it's $HOME\n"
    assert log_bytes(warm, "stderr") == b"err\n"
    assert [r.path for r in warm.results.all()] == ["out.txt"]


def test_cancel_of_an_agent_launched_job_kills_its_whole_group(
    make_job: Callable[..., Job], scripts: list[str], sshd: Sshd
) -> None:
    marker = f"{900 + os.getpid() % 97}.{random.randint(1000, 9999)}"  # unique per run
    first = make_job("print('cold')\n")
    job = make_job(f"echo started\nsleep {marker} &\nsleep {marker} &\nwait\n", interpreter="sh")
    thread = threading.Thread(target=run_in_order, args=([first, job],), daemon=True)
    thread.start()
    try:
        wait_for_processes(sshd.key_user.name, f"sleep {marker}", 2)
        job_cancel(job=job)
        thread.join(30)
    finally:
        connections.close_all()
    job.refresh_from_db()
    assert not launched_by_script(scripts, job)
    assert job.status == "cancelled"
    assert user_processes(sshd.key_user.name, f"sleep {marker}") == []
    assert log_bytes(job) == b"started\n"


async def ssh_agent(server: Any, credential: Any) -> tuple[SshRemote, AgentClient]:
    secrets = await sync_to_async(credential.get_secrets)()
    conn = await open_connection(
        server, username=credential.username, kind=credential.kind, secrets=secrets
    )
    remote = SshRemote(conn)
    return remote, await remote.start_agent()


def test_agent_launch_is_idempotent_and_names_a_missing_directory(
    server: Any, credential: Any, sshd: Sshd
) -> None:
    parent = f".drs/test-agent-launch-{os.getpid()}-{random.randint(1000, 9999)}"
    name = f"{parent}/job"
    directory = sshd.key_user.home / name
    command = job_command(["python3", "./program"], {})
    program = "import time\nprint('once', flush=True)\ntime.sleep(30)\n"

    async def go() -> tuple[Any, ...]:
        remote, agent = await ssh_agent(server, credential)
        try:
            # Given the program, the agent creates the directories and writes it.
            first = await agent.launch("j", name, command, WRAPPER, program=program)
            # A retry never rewrites the program of the job that runs.
            again = await agent.launch("j", name, command, WRAPPER, program="print('twice')\n")
            missing = await agent.launch("k", f"{name}/nope", command, WRAPPER)
            unusable = await agent.launch("u", f"{name}/program/x", command, WRAPPER, program="")
            return first, again, missing, unusable
        finally:
            await remote.close()

    first, again, missing, unusable = async_to_sync(go)()
    try:
        assert first[0] == 0 and again == first, (first, again)
        assert (directory / "program").read_text() == program
        assert (directory / "program").stat().st_mode & 0o777 == 0o600
        for made in (directory, directory.parent):
            assert made.stat().st_mode & 0o777 == 0o700, made
        assert unusable[0] == 97 and b"cannot use the job directory" in unusable[1]
        pgid, pgid_start = first[1].split(b"\n")[0].split()
        assert (directory / "pgid").read_bytes().split() == [pgid, pgid_start]
        assert os.getpgid(int(pgid)) == int(pgid)  # the job leads its own group
        deadline = time.monotonic() + 10
        while (directory / "stdout").read_bytes() != b"once\n" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (directory / "stdout").read_bytes() == b"once\n"  # ran once
        assert (directory / ".drs-started").stat().st_mtime < time.time() - 0.5
        assert missing[0] == 97 and b"cannot use the job directory" in missing[1]
    finally:
        if first[0] == 0:
            os.killpg(int(first[1].split()[0]), 9)


def test_agent_gone_mid_launch_falls_back_to_the_script_and_runs_once(
    make_job: Callable[..., Job], scripts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agent ends right after it was asked to launch: the runner asks the launch
    script, which finds the job already launched and reports it; it runs once."""
    real_launch = AgentClient.launch

    async def launch_then_die(self: AgentClient, job_id: str, *args: Any, **kwargs: Any) -> Any:
        task = asyncio.ensure_future(real_launch(self, job_id, *args, **kwargs))
        await asyncio.sleep(0)  # the request is written
        self.close()
        return await task

    monkeypatch.setattr(AgentClient, "launch", launch_then_die)
    first = make_job("print('cold')\n")
    job = make_job("import os\nprint('ran once', os.getpid() > 0)\n")
    run_in_order([first, job])
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == b"ran once True\n"
    assert launched_by_script(scripts, job)


def test_agent_error_is_raised_once_the_agent_has_ended(server: Any, credential: Any) -> None:
    async def go() -> None:
        remote, agent = await ssh_agent(server, credential)
        try:
            agent.close()
            with pytest.raises(AgentError):
                await agent.launch("j", "/nonexistent", "true", WRAPPER)
        finally:
            await remote.close()

    async_to_sync(go)()


def test_the_launch_script_writes_the_program_itself_unless_it_cannot(
    make_job: Callable[..., Job],
    scripts: list[str],
    sshd: Sshd,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without an agent, the launch script carries the program in a here-document (no
    SFTP session), byte for byte, in private files; a program a here-document cannot
    carry (no final newline) is uploaded over SFTP as before."""
    monkeypatch.setattr(Link, "running_agent", lambda self: None)
    uploads: list[str] = []
    real_write = SshRemote.write_file

    async def recording_write(self: SshRemote, path: str, data: bytes) -> None:
        uploads.append(path)
        await real_write(self, path, data)

    monkeypatch.setattr(SshRemote, "write_file", recording_write)
    carried = make_job("print('DRS_WRAPPER_END')\nprint('''DRS_PROGRAM_END_x''')\n")
    uploaded = make_job("print('no final newline')")
    run_in_order([carried, uploaded])
    for job in (carried, uploaded):
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        assert launched_by_script(scripts, job)
        directory = sshd.key_user.home / job.remote_directory
        assert (directory / "program").read_text() == job.program
        assert (directory / "program").stat().st_mode & 0o777 == 0o600
        assert directory.stat().st_mode & 0o777 == 0o700
    assert log_bytes(carried) == b"DRS_WRAPPER_END\nDRS_PROGRAM_END_x\n"
    assert log_bytes(uploaded) == b"no final newline\n"
    assert uploads == [f"{uploaded.remote_directory}/program"]
