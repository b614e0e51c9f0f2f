"""A job that fills its disk ends `failed` naming the full disk, not `lost`: the job
directory is on a real 1 MiB tmpfs mounted for the test, on the real sshd's host."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drs.jobs.models import Job
from drs.runner.diskfull import disk_full
from tests.fixtures.sshd import Sshd, key_credential, ssh_server
from tests.runner.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 1 MiB file system any user may write to; the test user must reach it, so it is
    not under pytest's private tmp_path."""
    base = Path(tempfile.mkdtemp(prefix="drs-small-disk-"))
    base.chmod(0o755)
    disk = base / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", str(disk)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        shutil.rmtree(base)
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
        shutil.rmtree(base, ignore_errors=True)


def fills_disk_job(owner: Any, sshd: Sshd, disk: Path, make_job: Callable[..., Job]) -> Job:
    server = ssh_server(sshd, name="small", jobs_directory=str(disk / "jobs"))
    return make_job(
        "sleep 1\nhead -c 4000000 /dev/zero > filler\necho done\n",
        interpreter="sh",
        server=server,
        credential=key_credential(owner, server, sshd),
    )


def test_job_that_fills_its_disk_fails_naming_it(
    owner: Any, sshd: Sshd, small_disk: Path, make_job: Callable[..., Job]
) -> None:
    """The wrapper cannot write the exit code (before: `lost`, "host rebooted...")."""
    job = run(fills_disk_job(owner, sshd, small_disk, make_job))
    assert job.status == "failed", job.error
    assert job.error == (
        "The job ended, but its exit status could not be recorded: the disk holding the "
        f"job's directory ({small_disk}) is full. Free space there and run it again."
    )


def test_job_on_a_full_disk_fails_to_start_naming_it(
    owner: Any, sshd: Sshd, small_disk: Path, make_job: Callable[..., Job]
) -> None:
    (small_disk / "taken").write_bytes(b"\0" * (1 << 20))  # stops at the 1 MiB limit
    with pytest.raises(OSError, match="No space left"):
        (small_disk / "more").write_bytes(b"\0" * 4096)
    job = run(fills_disk_job(owner, sshd, small_disk, make_job))
    assert job.status == "failed", job.error
    assert job.error == (
        f"Could not start the job: the disk holding the job's directory ({small_disk}) is full"
    )


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (b"blocks tmpfs 1024 1024 0 100% /mnt/my disk\ninodes tmpfs 9 2 7 23% /mnt/my disk\n",
         "the disk holding the job's directory (/mnt/my disk) is full"),
        (b"blocks /dev/sda1 900 10 890 2% /d\ninodes /dev/sda1 100 100 0 100% /d\n",
         "the disk holding the job's directory (/d) has no free inodes"),
        (b"blocks /dev/sda1 900 10 890 2% /d\ninodes btrfs 0 0 0 - /d\n", ""),
        (b"blocks /dev/sda1 900 10 890 2% /d\ninodes /dev/sda1 100 1 99 1% /d\nunwritten\n",
         "the job's directory (/d, 890 KiB free now) refused the write: disk full or over quota"),
        (b"blocks \ninodes \n", ""),
    ],
)  # fmt: skip
def test_disk_full_reads_df(output: bytes, expected: str) -> None:
    assert disk_full(output) == expected
