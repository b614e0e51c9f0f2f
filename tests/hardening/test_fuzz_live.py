"""API fuzzing over a real socket (issue 14): schemathesis' CLI against a live daphne until
the server has answered DRS_FUZZ_REQUESTS requests (default 20,000), with 0 server
errors and 0 schema violations. The count and the statuses come from daphne's own
access log, not from the client."""

from __future__ import annotations

import collections
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from tests import factories
from tests.api.test_logs import NASTY, store
from tests.fixtures.daphne import PROJECT_DIR, Daphne

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

REQUESTS = int(os.environ.get("DRS_FUZZ_REQUESTS", "20000"))
WORKERS = os.environ.get("DRS_FUZZ_WORKERS", "4")
# These open SSH connections (covered against a real sshd elsewhere).
SSH_OPERATIONS = [
    "servers_scan_host_key", "servers_check", "credentials_generate", "credentials_destroy",
]  # fmt: skip
ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+)[^"]*" (?P<status>\d{3}) ')


class LoggedDaphne(Daphne):
    """The fixture's daphne with an access log (one line per answered request)."""

    def __init__(self, access_log: Path) -> None:
        super().__init__(env={"DRS_LOG_LEVEL": "WARNING"})
        self.access_log = access_log

    def start(self, timeout: float = 30) -> LoggedDaphne:
        import contextlib
        import socket

        log = self.log_path.open("ab")
        command = [
            sys.executable, "-m", "daphne", "-b", self.host, "-p", str(self.port),
            "--access-log", str(self.access_log), "drs.asgi:application",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=self.environment(), stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_tail()
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), 1):
                return self
            time.sleep(0.05)
        raise RuntimeError(self.log_tail())


def answered(access_log: Path) -> collections.Counter[str]:
    statuses: collections.Counter[str] = collections.Counter()
    if access_log.exists():
        for line in access_log.read_text(errors="replace").splitlines():
            if match := ACCESS.search(line):
                statuses[match["status"]] += 1
    return statuses


def seed_data() -> str:
    user = factories.user("fuzzer", is_staff=True)
    for owner in (user, factories.user("plain")):
        job = factories.job(owner, factories.server(f"srv-{owner.username}"), status="succeeded")
        store(job, NASTY[:3])
    return Token.objects.create(user=user).key


def test_live_fuzz(tmp_path: Path, django_db_setup: Any) -> None:
    token = seed_data()
    access_log = tmp_path / "access.log"
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis CLI not installed"
    started = time.monotonic()
    runs, failures = 0, []
    with LoggedDaphne(access_log) as server:
        while sum(answered(access_log).values()) < REQUESTS:
            runs += 1
            done = subprocess.run(
                [
                    st, "run", f"{server.origin}/api/schema/",
                    "-H", f"Authorization: Token {token}",
                    "--workers", WORKERS, "--max-examples", "400", "--seed", str(runs),
                    "--phases", "coverage,fuzzing", "--no-color",
                    "-c", "not_a_server_error,response_schema_conformance,"
                    "content_type_conformance",
                    *[arg for op in SSH_OPERATIONS for arg in ("--exclude-operation-id", op)],
                ],
                capture_output=True, text=True, timeout=1800, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                failures.append(done.stdout[-6000:])
                break
            assert runs < 50, "schemathesis stopped generating requests"
    took = time.monotonic() - started
    statuses = answered(access_log)
    total = sum(statuses.values())
    errors = sum(n for code, n in statuses.items() if code.startswith("5"))
    print(
        f"\nlive fuzz: {total} requests in {took:.0f} s ({total / took:.0f}/s, {runs} CLI runs,"
        f" {WORKERS} workers), statuses {dict(sorted(statuses.items()))}, server errors {errors}"
    )
    assert not failures, failures[0]
    assert errors == 0
    assert total >= REQUESTS
