"""API fuzzing over a real socket (issue 14): schemathesis' CLI against a live daphne until
the server has answered DRS_FUZZ_REQUESTS requests (default 20,000), with 0 server
errors and 0 schema violations. First, every write operation also gets a body nested
5,000 deep (400) and one declaring 1 TiB (413, refused before it is sent). The count and the statuses come from daphne's own
access log, not from the client."""

from __future__ import annotations

import collections
import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import factories
from tests.api.test_logs import NASTY, store
from tests.fixtures.daphne import PROJECT_DIR, Daphne

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

REQUESTS = int(os.environ.get("DRS_FUZZ_REQUESTS", "20000"))
WORKERS = os.environ.get("DRS_FUZZ_WORKERS", "4")
SERVERS = int(os.environ.get("DRS_FUZZ_SERVERS", "2"))
# These open SSH connections (covered against a real sshd elsewhere).
SSH_OPERATIONS = [
    "servers_scan_host_key", "servers_check", "credentials_generate", "credentials_destroy",
]  # fmt: skip
OPERATIONS = len(
    re.findall(r"^\s+operationId:", (PROJECT_DIR / "schema" / "openapi.yaml").read_text(), re.M)
) - len(SSH_OPERATIONS)
# With the coverage phase, schemathesis makes about one request per operation per example
# (fewer where the inputs run out); 15 % to spare so that one round is enough.
MAX_EXAMPLES = max(5, int(REQUESTS * 1.15 / OPERATIONS / SERVERS) + 1)
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
            "--access-log", str(self.access_log), "drs_site.asgi:application",
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
    return factories.token(user)


def cli_run(origin: str, token: str, seed: int) -> subprocess.Popen[str]:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis CLI not installed"
    return subprocess.Popen(
        [
            st, "run", f"{origin}/api/schema/", "-H", f"Authorization: Token {token}",
            "--workers", WORKERS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(seed),
            "--phases", "coverage,fuzzing", "--no-color",
            "-c", "not_a_server_error,response_schema_conformance,content_type_conformance",
            *[arg for op in SSH_OPERATIONS for arg in ("--exclude-operation-id", op)],
        ],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def hostile_bodies(origin: str, token: str) -> collections.Counter[str]:
    """Every write operation of the schema, with a body nested far too deep and with one
    declared far too large, anonymous and with the token: statuses by kind of body."""
    host, port = origin.removeprefix("http://").split(":")
    schema = yaml.safe_load((PROJECT_DIR / "schema" / "openapi.yaml").read_text())
    nested = b"[" * 5000 + b"]" * 5000
    seen: collections.Counter[str] = collections.Counter()
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in ("post", "put", "patch"):
            if method not in operations:
                continue
            for auth in ({}, {"Authorization": f"Token {token}"}):
                headers = {"Content-Type": "application/json", **auth}
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                conn.request(method.upper(), url, body=nested, headers=headers)
                seen[f"nested {conn.getresponse().status}"] += 1
                conn.close()
                # Only the headers: the body is refused before it is sent.
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                conn.putrequest(method.upper(), url)
                for name, value in {**headers, "Content-Length": str(2**40)}.items():
                    conn.putheader(name, value)
                conn.endheaders()
                seen[f"oversized {conn.getresponse().status}"] += 1
                conn.close()
    return seen


@pytest.mark.timeout(3600)
def test_live_fuzz(tmp_path: Path, django_db_setup: Any) -> None:
    token = seed_data()
    logs = [tmp_path / f"access-{i}.log" for i in range(SERVERS)]
    servers = [LoggedDaphne(log) for log in logs]
    started = time.monotonic()
    runs, failures, tool_errors = 0, [], 0

    def total() -> collections.Counter[str]:
        return sum((answered(log) for log in logs), collections.Counter())

    try:
        for server in servers:
            server.start()
        hostile = hostile_bodies(servers[0].origin, token)
        print(f"\nnested and oversized bodies: {dict(sorted(hostile.items()))}")
        # Never a 500; a body-less operation (logout) may ignore the body.
        assert not any(kind.split()[1].startswith("5") for kind in hostile), hostile
        assert set(hostile) >= {"nested 400", "oversized 413"}, hostile
        assert not any(
            kind.startswith("oversized") and not kind.endswith("413") for kind in hostile
        )
        # One CLI per daphne, in parallel (both share the test database), until enough.
        while sum(total().values()) < REQUESTS and not failures:
            clis = []
            for server in servers:
                runs += 1
                clis.append(cli_run(server.origin, token, runs))
            for cli in clis:
                out, _ = cli.communicate(timeout=3000)
                summary = out[out.rfind("SUMMARY") :]
                cases = re.search(r"(\d+) generated, (.*)", summary)
                cases_line = cases.group(0) if cases else "no summary"
                tool_errors += len(re.findall(r"Runtime Error: (\d+)", summary))
                # A failed check (server error, schema or content-type violation) or any
                # error other than the tool's own (network errors mean a server died).
                if cli.returncode != 0 and (
                    "Failures:" in summary
                    or "failed" in cases_line
                    or re.search(r"Errors:\n(?:.*\n)*?.*(Network|Timeout|Connection)", summary)
                    or not cases
                ):
                    failures.append(out[-6000:])
            assert runs < 100, "schemathesis stopped generating requests"
    finally:
        for server in servers:
            server.stop()
    took = time.monotonic() - started
    statuses = total()
    count = sum(statuses.values())
    errors = sum(n for code, n in statuses.items() if code.startswith("5"))
    print(
        f"\nlive fuzz: {count} requests in {took:.0f} s ({count / took:.0f}/s, {runs} CLI runs"
        f" against {SERVERS} daphne, {WORKERS} workers each), statuses"
        f" {dict(sorted(statuses.items()))}, server errors {errors}, schemathesis' own runtime"
        f" errors {tool_errors} (not API failures)"
    )
    assert not failures, failures[0]
    assert errors == 0
    assert count >= REQUESTS
