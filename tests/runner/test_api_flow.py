"""The "done when" path through the REST API with real workers and a real sshd: add a
server, scan and pin its key, generate a credential, run a job, read its log and
results, cancel another, delete the credential from the server."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.fixtures.sshd import Sshd
from tests.fixtures.workers import Workers

pytestmark = pytest.mark.django_db(transaction=True)

TERMINAL = {"succeeded", "failed", "cancelled", "timed_out", "lost"}


def wait_status(api: APIClient, job_id: str, statuses: set[str], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"/api/jobs/{job_id}/").json()
        if job["status"] in statuses:
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def test_rest_flow(
    api: APIClient, staff_api: APIClient, sshd: Sshd, start_workers: Callable[..., Workers]
) -> None:
    start_workers(workers=2)
    python = factories.interpreter()
    resp = staff_api.post(
        "/api/servers/",
        {"name": "lab", "hostname": sshd.host, "port": sshd.port, "interpreters": [python.pk]},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    server_id = resp.json()["id"]

    scanned = staff_api.post(f"/api/servers/{server_id}/scan-host-key/").json()
    assert scanned["fingerprint"] == sshd.host_key_fingerprint
    resp = staff_api.patch(
        f"/api/servers/{server_id}/", {"host_key": scanned["key"]}, format="json"
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["host_key_fingerprint"] == sshd.host_key_fingerprint

    user = sshd.password_user
    resp = api.post(
        "/api/credentials/generate/",
        {"server": server_id, "username": user.name, "password": user.password},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    credential = resp.json()
    assert user.password not in resp.content.decode()

    check = api.post(
        f"/api/servers/{server_id}/check/", {"credential": credential["id"]}, format="json"
    )
    assert check.json()["ok"], check.json()

    resp = api.post(
        "/api/jobs/",
        {
            "server": server_id,
            "credential": credential["id"],
            "interpreter": python.pk,
            "program": "import sys\nopen('out.txt', 'w').write('result!')\n"
            "print('hello', sys.argv[1])\nsys.exit(2)\n",
            "arguments": ["world"],
            "result_patterns": ["*.txt"],
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    job = wait_status(api, resp.json()["id"], TERMINAL)
    assert job["status"] == "failed"
    assert job["exit_code"] == 2
    logs = api.get(f"/api/jobs/{job['id']}/logs/").json()
    assert "".join(r["data"] for r in logs["results"]) == "hello world\n"
    results = api.get(f"/api/jobs/{job['id']}/results/").json()
    assert [r["path"] for r in results] == ["out.txt"]
    download = api.get(results[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"result!"

    resp = api.post(
        "/api/jobs/",
        {
            "server": server_id,
            "credential": credential["id"],
            "interpreter": python.pk,
            "program": "import time\nprint('waiting', flush=True)\ntime.sleep(300)\n",
        },
        format="json",
    )
    long_id = resp.json()["id"]
    wait_status(api, long_id, {"running"})
    assert api.post(f"/api/jobs/{long_id}/cancel/").status_code == 202
    assert wait_status(api, long_id, TERMINAL)["status"] == "cancelled"

    resp = api.delete(f"/api/credentials/{credential['id']}/?remove_from_server=true")
    assert resp.status_code == 204, resp.content
    assert credential["public_key"] not in (user.home / ".ssh" / "authorized_keys").read_text()
