"""The `drs` CLI run as a subprocess against the real stack: daphne (REST and websockets),
runner workers and a private sshd. The CLI runs from the checkout (`python -m drs_cli`
with clients/python on PYTHONPATH) under its own empty config dir, so nothing here reads
or writes the config of whoever runs the tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drs.jobs.models import Job
from tests import factories
from tests.fixtures.daphne import Daphne
from tests.fixtures.sshd import Sshd, key_credential, ssh_server

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIR = ROOT / "clients" / "python"
# A few tests drive drs_cli's helpers in-process (the CLI itself always runs as a subprocess).
if str(CLIENT_DIR) not in sys.path:
    sys.path.append(str(CLIENT_DIR))
SERVER_NAME = "cli-sshd"


@dataclass
class Site:
    """A DRS site as a CLI user sees it: URL, a user with a password and a token, a
    server with a pinned host key, an interpreter and the user's key credential."""

    daphne: Daphne
    sshd: Sshd
    home: Path
    user: Any
    token: str
    server: Any
    credential: Any

    @property
    def url(self) -> str:
        return self.daphne.origin

    @property
    def session(self) -> Any:
        """drs_cli's Session for in-process helpers."""
        from drs_cli.session import Session

        return Session(self.url, self.token)

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DRS_", "DJANGO_", "PYTEST_")) and k != "PYTHONPATH"
        }
        env |= {
            "PYTHONPATH": str(CLIENT_DIR),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "HOME": str(self.home),
            "DRS_URL": self.url,
            "DRS_TOKEN": self.token,
            "PYTHONUNBUFFERED": "1",
        }
        return env | extra

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "drs_cli", *args]

    def run(
        self, *args: str, input: bytes | None = None, timeout: float = 120, **env: str
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `drs ARGS…` to its end; stdout and stderr as bytes."""
        return subprocess.run(
            self.command(*args),
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            env=self.env(**env),
            timeout=timeout,
            check=False,
        )

    def popen(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(*args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env(**env),
        )

    def submit(self, program: str, *extra: str) -> str:
        """`drs submit -` (program on stdin); returns the job id it printed."""
        done = self.run(
            "submit", "-", "--server", SERVER_NAME, "--interpreter", "python3", *extra,
            input=program.encode(),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode().strip()


def wait_for(predicate: Callable[[], Any], timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def job_status(job_id: str) -> str:
    return str(Job.objects.values_list("status", flat=True).get(pk=job_id))


@pytest.fixture
def site(daphne: Daphne, sshd: Sshd, tmp_path: Path, transactional_db: None) -> Site:
    user = factories.user("cli-owner")
    token = factories.token(user)
    server = ssh_server(sshd, SERVER_NAME)
    credential = key_credential(user, server, sshd)
    return Site(daphne, sshd, tmp_path, user, token, server, credential)
