"""DRS embedded in another Django project, as a host installs it: the wheel built from this
tree in a clean venv (runtime dependencies from requirements-runtime.lock, through pip's
configured index and cache), examples/host_project copied out (its own user model,
`include("drs.urls")` under /drs/, DRS's websocket routes in its ASGI router), migrated on
its own database, its `manage.py workers` and daphne started, a job submitted over the
host's URLs to the fixture sshd, and the host's `job_finished` receiver seen to run."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.fixtures.sshd import Sshd, free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "host_project"
PASSWORD = "host-pass-123"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def venv_python() -> Iterator[Path]:
    """A fresh venv holding the wheel built from this tree and DRS's runtime dependencies."""
    work = Path(tempfile.mkdtemp(prefix="drs-host-venv-"))
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(work / "dist")],
            cwd=ROOT, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        wheels = list((work / "dist").glob("drs-*.whl"))
        assert len(wheels) == 1, wheels
        subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=120)
        python = work / "venv" / "bin" / "python"
        for args in (
            ["-r", str(ROOT / "requirements-runtime.lock")],
            ["--no-deps", str(wheels[0])],
        ):
            run = subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args],
                capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            assert run.returncode == 0, run.stderr[-3000:]
        yield python
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def host_db() -> Iterator[str | None]:
    """The host's DATABASE_URL: a database of its own next to the test one on PostgreSQL
    (dropped afterwards), None for SQLite (a file in the project)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg

    name = f"test_drs_host_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def http(method: str, url: str, *, token: str = "", body: Any = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    text = raw.decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-3000:]
        with contextlib.suppress(OSError):
            http("GET", url)
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer: {log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_host_project_runs_jobs_and_hears_they_ended(
    venv_python: Path, host_db: str | None, sshd: Sshd, tmp_path: Path
) -> None:
    project = tmp_path / "host_project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DRS_", "DJANGO_", "DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV"))
    } | {
        "DRS_DATA_DIR": str(tmp_path / "data"),
        "DRS_REDIS_PREFIX": f"drs-host-{os.getpid()}",
        "DRS_WORKERS": "1",
        "DRS_ALLOWED_SSH_NETWORKS": "127.0.0.0/8",
        "PYTHONUNBUFFERED": "1",
    }
    if host_db:
        env["DATABASE_URL"] = host_db
    if not env.get("REDIS_URL"):
        # SQLite mode: the session's embedded Redis (tests/conftest.py), as `serve` would run it.
        env["DRS_CHANNEL_REDIS_URL"] = f"unix://{settings.EMBEDDED_REDIS_SOCKET}"

    def manage(*args: str) -> str:
        run = subprocess.run(
            [str(venv_python), "manage.py", *args],
            cwd=project, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
        return run.stdout

    def shell(code: str) -> str:
        return manage("shell", "-v", "0", "-c", code).strip()

    manage("migrate", "--noinput", "-v", "0")
    # A user of the host's own model and a server DRS reaches over SSH, pinned to the
    # fixture sshd's host key, with the user's key credential.
    facts = {
        "host": sshd.host, "port": sshd.port, "host_key": sshd.host_key,
        "fingerprint": sshd.host_key_fingerprint, "login": sshd.key_user.name,
        "public_key": sshd.key_user.public_key, "private_key": sshd.key_user.private_key,
        "password": PASSWORD,
    }  # fmt: skip
    shell(
        "import json; from accounts.models import User;"
        "from drs.servers.models import Interpreter, Server;"
        "from drs.credentials.models import Credential, Secrets;"
        f"f = json.loads({json.dumps(json.dumps(facts))});"
        "user = User.objects.create_user('ada', password=f['password'], department='optics');"
        "sh = Interpreter.objects.create(name='sh', path='/bin/sh', arguments=[]);"
        "server = Server.objects.create(name='sshd', hostname=f['host'], port=f['port'],"
        " host_key=f['host_key'], host_key_fingerprint=f['fingerprint']);"
        "server.interpreters.set([sh]);"
        "c = Credential(owner=user, server=server, username=f['login'], kind='key',"
        " public_key=f['public_key']);"
        "c.set_secrets(Secrets(private_key=f['private_key'])); c.save()"
    )
    ids = json.loads(
        shell(
            "import json; from drs.servers.models import Server;"
            "s = Server.objects.get(name='sshd');"
            "print(json.dumps([s.pk, s.interpreters.get().pk, s.credentials.get().pk]))"
        )
    )

    port = free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    workers = subprocess.Popen(
        [str(venv_python), "manage.py", "workers"], cwd=project, env=env,
        stdout=(logs / "workers.log").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    web = subprocess.Popen(
        [str(venv_python), "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "host.asgi:application"],
        cwd=project, env=env, stdout=(logs / "web.log").open("wb"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/drs/api"
    try:
        wait_until_up(f"{base}/health/", web, logs / "web.log")
        login = {"username": "ada", "password": PASSWORD}
        status, body = http("POST", f"{base}/auth/token/", body=login)
        assert status == 201, body
        token = body["token"]
        assert http("GET", f"{base}/jobs/")[0] == 401  # DRS's own authentication and permissions
        status, me = http("GET", f"{base}/auth/me/", token=token)
        assert (status, me["username"]) == (200, "ada"), me

        status, job = http(
            "POST", f"{base}/jobs/", token=token,
            body={"server": ids[0], "interpreter": ids[1], "credential": ids[2],
                  "program": "echo hello from $1",
                  "arguments": ["host"], "title": "embedded"},
        )  # fmt: skip
        assert status == 201, job
        deadline = time.monotonic() + 90
        while job["status"] not in ("succeeded", "failed", "cancelled", "timed_out", "lost"):
            assert time.monotonic() < deadline, (job, (logs / "workers.log").read_text()[-3000:])
            time.sleep(0.5)
            job = http("GET", f"{base}/jobs/{job['id']}/", token=token)[1]
        assert job["status"] == "succeeded", (job, (logs / "workers.log").read_text()[-3000:])
        status, text = http("GET", f"{base}/jobs/{job['id']}/log.txt", token=token)
        assert (status, text) == (200, "hello from host\n")

        # The job's log over the host's websocket route, with the token header; refused
        # without it (DRS's routes carry their own authentication).
        logs_url = f"ws://127.0.0.1:{port}/drs/ws/jobs/{job['id']}/logs/"
        auth = {"Authorization": f"Token {token}"}
        with connect(logs_url, additional_headers=auth, open_timeout=20) as ws:
            frames = ""
            while "hello from host" not in frames:
                frames += str(ws.recv(timeout=20))
        with pytest.raises(InvalidStatus, match="403"):
            connect(logs_url, open_timeout=20)

        # The host's receiver of drs.signals.job_finished ran (in the runner process).
        recorded = (
            f"from lab.models import FinishedJob as F; j = F.objects.get(job_id='{job['id']}');"
        )
        assert shell(recorded + "print(j.status, j.owner)") == "succeeded ada"

        # Host code through drs.api: submit and cancel. With the workers stopped the job
        # stays queued, so the cancel ends it at once and the receiver runs in that process.
        stop(workers)
        job_id, state = manage("lab_submit", "ada", "sshd", "sleep 60", "--cancel").split()
        assert state == "cancelled"
        assert shell(recorded.replace(job["id"], job_id) + "print(j.status)") == "cancelled"
        assert (
            shell(
                "from drs import api; from accounts.models import User;"
                f"j = api.get_job('{job['id']}', user=User.objects.get(username='ada'));"
                "print(api.job_log_text(j).strip())"
            )
            == "hello from host"
        )
    finally:
        stop(web)
        stop(workers)


def test_importing_drs_imports_no_django() -> None:
    """A host's settings module reads `drs.INSTALLED_APPS` before Django is set up."""
    code = (
        "import sys, drs; assert drs.INSTALLED_APPS[0] == 'drs', drs.INSTALLED_APPS;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework'}"
        " or m.startswith('drs.')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env={k: v for k, v in os.environ.items()
                                           if not k.startswith("DJANGO_")},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (run.returncode, run.stdout.strip()) == (0, "[]"), run.stderr
