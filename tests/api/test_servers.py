from __future__ import annotations

import ipaddress
from typing import Any

import asyncssh
import pytest
from rest_framework.test import APIClient

from drs.jobs.models import Job
from drs.servers.models import Server
from tests import factories

pytestmark = pytest.mark.django_db

HOST_KEY = (
    asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().strip()
)


def server_body(**extra: Any) -> dict[str, Any]:
    return {"name": "hpc", "hostname": "hpc.example.org", "port": 22} | extra


def test_users_read_servers_but_cannot_write(api: APIClient) -> None:
    factories.server("cluster")
    assert [s["name"] for s in api.get("/api/servers/").json()["results"]] == ["cluster"]
    assert api.post("/api/servers/", server_body(), format="json").status_code == 403
    srv_id = api.get("/api/servers/").json()["results"][0]["id"]
    assert api.patch(f"/api/servers/{srv_id}/", {"port": 2222}, format="json").status_code == 403
    assert api.delete(f"/api/servers/{srv_id}/").status_code == 403
    assert api.post(f"/api/servers/{srv_id}/scan-host-key/").status_code == 403


def test_staff_create_pin_and_fingerprint(staff_api: APIClient) -> None:
    interp = factories.interpreter()
    resp = staff_api.post("/api/servers/", server_body(interpreters=[interp.pk]), format="json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["host_key"] == "" and body["host_key_fingerprint"] == ""
    resp = staff_api.patch(
        f"/api/servers/{body['id']}/", {"host_key": HOST_KEY + " comment"}, format="json"
    )
    assert resp.status_code == 200, resp.json()
    pinned = resp.json()
    assert pinned["host_key"] == HOST_KEY + " comment"
    assert pinned["host_key_fingerprint"] == asyncssh.import_public_key(HOST_KEY).get_fingerprint(
        "sha256"
    )
    assert pinned["host_key_fingerprint"].startswith("SHA256:")
    # Unpinning clears the fingerprint too.
    resp = staff_api.patch(f"/api/servers/{body['id']}/", {"host_key": ""}, format="json")
    assert resp.json()["host_key_fingerprint"] == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hostname", "bad host"),
        ("hostname", "-leading.example.org"),
        ("hostname", "a" * 64 + ".org"),
        ("hostname", ""),
        ("port", 0),
        ("port", 65536),
        ("port", "ssh"),
        ("host_key", "ssh-ed25519 not-base64"),
        ("host_key", "two\nlines"),
        ("kind", "telnet"),
        ("kind", "local"),
        ("max_concurrent_jobs", 0),
        ("interpreters", [999999]),
        ("jobs_directory", "a\nb"),
        ("name", ""),
    ],
)
def test_server_validation_names_the_field(staff_api: APIClient, field: str, value: Any) -> None:
    resp = staff_api.post("/api/servers/", server_body(**{field: value}), format="json")
    assert resp.status_code == 400
    assert field in resp.json(), resp.json()


def test_valid_hostnames_and_ips(staff_api: APIClient, settings: Any) -> None:
    # Loopback passes here because DRS_ALLOWED_SSH_NETWORKS lists it (test_firsthour.py).
    settings.DRS_ALLOWED_SSH_NETWORKS = [
        ipaddress.ip_network(n) for n in ("127.0.0.0/8", "::1/128")
    ]
    for i, host in enumerate(["login-1.cluster.example.org", "10.0.0.5", "::1", "localhost"]):
        resp = staff_api.post(
            "/api/servers/", server_body(name=f"s{i}", hostname=host), format="json"
        )
        assert resp.status_code == 201, (host, resp.json())


def test_local_kind_when_enabled(staff_api: APIClient, settings: Any) -> None:
    settings.DRS_ENABLE_LOCAL = True
    resp = staff_api.post("/api/servers/", {"name": "here", "kind": "local"}, format="json")
    assert resp.status_code == 201, resp.json()


def test_duplicate_name(staff_api: APIClient) -> None:
    factories.server("hpc")
    resp = staff_api.post("/api/servers/", server_body(), format="json")
    assert resp.status_code == 400 and "name" in resp.json()


def test_server_in_use_cannot_be_deleted(staff_api: APIClient, api: APIClient, owner: Any) -> None:
    job = factories.job(owner)
    factories.job(owner, job.server)
    resp = staff_api.delete(f"/api/servers/{job.server_id}/")
    assert resp.status_code == 409
    assert "2 jobs use this server" in resp.json()["detail"]
    assert Server.objects.filter(pk=job.server_id).exists()
    assert api.delete(f"/api/servers/{job.server_id}/").status_code == 403
    unused = factories.server("spare")
    factories.credential(owner, unused)  # credentials go with their server
    assert staff_api.delete(f"/api/servers/{unused.pk}/").status_code == 204
    assert not Server.objects.filter(pk=unused.pk).exists()
    Job.objects.all().delete()
    assert staff_api.delete(f"/api/servers/{job.server_id}/").status_code == 204


def test_interpreter_edit_and_delete(staff_api: APIClient, api: APIClient, owner: Any) -> None:
    interp = factories.interpreter("py", "/usr/bin/env", ["python3"])
    url = f"/api/interpreters/{interp.pk}/"
    resp = staff_api.patch(url, {"arguments": ["python3", "-u", "-X", "utf8 mode"]}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["arguments"] == ["python3", "-u", "-X", "utf8 mode"]
    full = {"name": "py3", "path": "/usr/bin/python3", "arguments": [" spaced ", ""]}
    assert staff_api.put(url, full, format="json").json() == {"id": interp.pk, **full}
    for body in [{"arguments": [1]}, {"arguments": [True]}, {"arguments": "-u"}]:
        resp = staff_api.patch(url, body, format="json")
        assert resp.status_code == 400 and "arguments" in resp.json(), body
    assert api.patch(url, {"name": "mine"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    srv = factories.server("s1", interpreters=[interp])
    factories.job(owner, srv, interpreter=interp)
    resp = staff_api.delete(url)
    assert resp.status_code == 409
    assert "1 job uses this interpreter" in resp.json()["detail"]
    Job.objects.all().delete()
    assert staff_api.delete(url).status_code == 204
    assert list(srv.interpreters.all()) == []


def test_check_needs_a_credential_of_the_caller(api: APIClient, stranger: Any) -> None:
    srv = factories.server()
    factories.credential(stranger, srv)
    resp = api.post(f"/api/servers/{srv.pk}/check/", {}, format="json")
    assert resp.status_code == 400 and "credential" in resp.json()


def test_interpreters(api: APIClient, staff_api: APIClient) -> None:
    resp = staff_api.post(
        "/api/interpreters/",
        {"name": "py", "path": "/usr/bin/python3", "arguments": ["-u"]},
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    assert api.get("/api/interpreters/").json()["results"][0]["arguments"] == ["-u"]
    assert (
        api.post("/api/interpreters/", {"name": "x", "path": "/bin/x"}, format="json").status_code
        == 403
    )
    for body, field in [
        ({"name": "a", "path": "python3"}, "path"),
        ({"name": "b", "path": "/usr/bin/my python"}, "path"),
        ({"name": "c", "path": "/bin/sh", "arguments": "-c"}, "arguments"),
        ({"name": "d", "path": "/bin/sh", "arguments": [1, {"x": 1}]}, "arguments"),
    ]:
        resp = staff_api.post("/api/interpreters/", body, format="json")
        assert resp.status_code == 400 and field in resp.json(), (body, resp.json())
