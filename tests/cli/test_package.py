"""The client as a package of its own, installed alone in a fresh virtualenv (no Django)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drs.jobs.models import Job
from tests.cli.conftest import CLIENT_DIR, SERVER_NAME, Site

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = """
import json, sys
from drs_client import AuthenticatedClient
from drs_client.api.credentials import credentials_list
from drs_client.api.interpreters import interpreters_list
from drs_client.api.jobs import jobs_create, jobs_list
from drs_client.api.servers import servers_list
from drs_client.models import JobCreateRequest

url, token, server_name = sys.argv[1:]
with AuthenticatedClient(base_url=url, token=token, prefix="Token") as client:
    server = next(s for s in servers_list.sync(client=client).results if s.name == server_name)
    interpreter = next(i for i in interpreters_list.sync(client=client).results if i.name == "python3")
    credential = next(c for c in credentials_list.sync(client=client).results if c.server == server.id)
    job = jobs_create.sync(client=client, body=JobCreateRequest(
        server=server.id, credential=credential.id, interpreter=interpreter.id,
        program="print('from a fresh venv')", title="fresh venv", arguments=["a b"],
    ))
    listed = jobs_list.sync(client=client)
    print(json.dumps({"created": str(job.id), "status": job.status.value,
                      "listed": [str(j.id) for j in listed.results]}))
try:
    import django
except ImportError:
    print("no django")
"""


def test_fresh_virtualenv_with_only_the_client(site: Site, tmp_path: Path) -> None:
    # Install from a copy, so the checkout gets no build/ or egg-info; the package's
    # dependencies (and setuptools, to build it) come from the package index as usual.
    source = tmp_path / "src"
    shutil.copytree(CLIENT_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "build"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [*pip, "--python", str(python), "install", str(source)], capture_output=True, check=False
    )
    assert installed.returncode == 0, installed.stderr.decode()
    packages = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "list", "--format=json"],
        capture_output=True,
        check=True,
    )
    names = {p["name"].lower() for p in json.loads(packages.stdout)}
    assert "drs-client" in names and "httpx" in names
    assert not {"django", "djangorestframework", "channels"} & names

    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [str(python), "-c", SCRIPT, site.url, site.token, SERVER_NAME],
        capture_output=True,
        env=env,
        cwd=tmp_path,  # not the checkout: only the installed package can be imported
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[-1] == "no django"
    result = json.loads(lines[0])
    job = Job.objects.get(pk=result["created"])
    assert (job.title, job.arguments, job.owner) == ("fresh venv", ["a b"], site.user)
    assert result["status"] == "queued" and result["created"] in result["listed"]

    # The console script of the same install.
    drs = subprocess.run(
        [str(venv / "bin" / "drs"), "jobs", "--json"],
        capture_output=True,
        env=env | {"DRS_URL": site.url, "DRS_TOKEN": site.token},
        timeout=60,
        check=False,
    )
    assert drs.returncode == 0, drs.stderr.decode()
    assert [j["id"] for j in json.loads(drs.stdout)] == [result["created"]]
