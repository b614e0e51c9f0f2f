"""Staging inputs into the job directory (real sshd, and the `local` kind): byte-exact,
chained results, rerun, a runner killed while staging, a host whose disk is full."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from drs.files.models import File
from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.dispatch import dispatch
from drs.jobs.inputs import InputSpec
from drs.jobs.models import Job, JobInput
from drs.jobs.services import job_rerun
from tests import factories
from tests.fixtures.sshd import Sshd
from tests.fixtures.workers import Workers
from tests.runner.conftest import log_bytes, run, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# Prints each named input's sha256 and size, and writes a result from the first.
CHECK = (
    "import hashlib, sys\n"
    "for path in sys.argv[1:]:\n"
    "    data = open(path, 'rb').read()\n"
    "    print(path, hashlib.sha256(data).hexdigest(), len(data))\n"
    "open('fit.json', 'wb').write(open(sys.argv[1], 'rb').read()[:1000])\n"
    "open('runs', 'a').write('run\\n')\n"
)


def binary(size: int) -> bytes:
    """Every byte value, NULs and newlines included, then noise."""
    return (bytes(range(256)) * 64 + os.urandom(size))[:size]


def stored_file(owner: Any, data: bytes, name: str = "run1.dat") -> File:
    file = File(owner=owner, name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    file.blob.save(file.id.hex, ContentFile(data), save=False)
    file.save()
    return file


def add_inputs(job: Job, *specs: InputSpec) -> None:
    JobInput.objects.bulk_create(
        JobInput(
            job=job, path=s.path, size=s.size, sha256=s.sha256, file_id=s.file_id,
            result_id=s.result_id,
        )
        for s in specs
    )  # fmt: skip


def file_input(file: File, path: str) -> InputSpec:
    return InputSpec(path, file.size, file.sha256, file_id=file.pk)


def expected_line(path: str, data: bytes) -> str:
    return f"{path} {hashlib.sha256(data).hexdigest()} {len(data)}"


def test_binary_input_arrives_exact_and_results_chain_into_the_next_job(
    make_job: Callable[..., Job], owner: Any
) -> None:
    data = binary(3 * 1024 * 1024)
    file = stored_file(owner, data)
    a = make_job(CHECK, arguments=["data/run1.dat"], result_patterns=["*.json"])
    add_inputs(a, file_input(file, "data/run1.dat"))
    a = run(a)
    assert a.status == "succeeded", a.error
    assert log_bytes(a, "stdout").decode().splitlines() == [expected_line("data/run1.dat", data)]
    # Inputs are not results unless the job changes them.
    assert list(a.results.values_list("path", flat=True)) == ["fit.json"]

    result = a.results.get()
    b = make_job(CHECK, arguments=["prev/fit.json", "run1.dat"], result_patterns=[])
    add_inputs(
        b,
        InputSpec("prev/fit.json", result.size, result.sha256, result_id=result.pk),
        file_input(file, "run1.dat"),
    )
    b = run(b)
    assert b.status == "succeeded", b.error
    expected = [expected_line("prev/fit.json", data[:1000]), expected_line("run1.dat", data)]
    assert log_bytes(b, "stdout").decode().splitlines() == expected

    again = run(job_rerun(job=b, requester=owner))
    assert again.status == "succeeded", again.error
    assert list(again.inputs.values_list("path", "sha256")) == list(
        b.inputs.values_list("path", "sha256")
    )
    assert log_bytes(again, "stdout").decode().splitlines() == expected


def test_local_server_stages_inputs_too(owner: Any, settings: Any) -> None:
    settings.DRS_ENABLE_LOCAL = True
    owner.is_staff = True
    owner.save()
    local = factories.server("worker-host", kind="local", hostname="localhost")
    data = binary(300_000)
    job = Job.objects.create(
        owner=owner, server=local, credential=factories.credential(owner, local),
        interpreter=factories.interpreter(), program=CHECK, arguments=["in/a.bin"],
    )  # fmt: skip
    add_inputs(job, file_input(stored_file(owner, data), "in/a.bin"))
    job = run(job)
    if job.remote_directory.endswith(str(job.pk)):  # never the home directory itself
        shutil.rmtree(Path.home() / job.remote_directory, ignore_errors=True)
    assert job.status == "succeeded", job.error
    assert log_bytes(job, "stdout").decode().splitlines() == [expected_line("in/a.bin", data)]


@pytest.fixture
def tiny_disk(sshd: Sshd) -> Iterator[Path]:
    """A 1 MiB tmpfs where the jobs' directories live on the host."""
    mount = sshd.key_user.home / "tiny"
    mount.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    shutil.chown(mount, sshd.key_user.name, sshd.key_user.name)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_the_job_naming_the_input(
    make_job: Callable[..., Job], owner: Any, server: Any, tiny_disk: Path
) -> None:
    server.jobs_directory = "tiny"
    server.save()
    job = make_job(CHECK, arguments=["big.dat"])
    add_inputs(job, file_input(stored_file(owner, binary(3 * 1024 * 1024)), "big.dat"))
    job = run(job)
    assert job.status == "failed"
    assert "'big.dat'" in job.error
    assert "no space left" in job.error
    assert job.started_at is None
    assert not (tiny_disk / str(job.pk) / ".drs-launched").exists()


def test_runner_killed_while_staging_starts_the_job_once_with_exact_inputs(
    make_job: Callable[..., Job], owner: Any, sshd: Sshd, start_workers: Callable[..., Workers]
) -> None:
    big, small = binary(200 * 1024 * 1024), binary(5000)
    workers = start_workers(workers=1, lease_seconds=3)
    inputs = (
        file_input(stored_file(owner, big, "big.dat"), "big.dat"),
        file_input(stored_file(owner, small, "s.dat"), "small/s.dat"),
    )
    # One commit, as a submission makes them: the workers' reaper takes any queued job,
    # and a job it claims before its inputs exist has none to stage.
    with transaction.atomic():
        job = make_job(CHECK, arguments=["big.dat", "small/s.dat"])
        add_inputs(job, *inputs)
    dispatch([job.pk])
    wait_for(lambda: bool(Job.objects.get(pk=job.pk).remote_directory), "the job directory")
    job.refresh_from_db()
    part = sshd.key_user.home / job.remote_directory / "big.dat.drs-part"

    def staging() -> bool:
        state = Job.objects.get(pk=job.pk)
        assert state.status not in TERMINAL_STATUSES, state.error
        return part.exists() and part.stat().st_size > 20 * 1024 * 1024

    wait_for(staging, "staging", 300)
    pid = int(Job.objects.get(pk=job.pk).lease_owner.split(":")[1])
    workers.kill(pid)
    assert Job.objects.get(pk=job.pk).started_at is None  # killed before the launch
    wait_for(lambda: Job.objects.get(pk=job.pk).status in TERMINAL_STATUSES, "the job", 300)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert log_bytes(job, "stdout").decode().splitlines() == [
        expected_line("big.dat", big),
        expected_line("small/s.dat", small),
    ]
    directory = sshd.key_user.home / job.remote_directory
    assert (directory / "runs").read_text() == "run\n"  # started once
    assert not part.exists()
