"""The first hour through the API: a refused SSH target is said when the server is saved,
short job ids resolve (owner-scoped), and "Edit and rerun" keeps `rerun_of`."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def server_body(**extra: Any) -> dict[str, Any]:
    return {"name": "hpc", "hostname": "hpc.example.org", "port": 22} | extra


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "169.254.169.254", "0.0.0.0"])
def test_loopback_and_link_local_are_refused_when_saved(
    staff_api: APIClient, settings: Any, host: str
) -> None:
    settings.DRS_ALLOWED_SSH_NETWORKS = []
    resp = staff_api.post("/api/servers/", server_body(hostname=host), format="json")
    assert resp.status_code == 400, resp.json()
    message = resp.json()["hostname"][0]
    assert "DRS_ALLOWED_SSH_NETWORKS" in message and "restart" in message


def test_a_refused_hostname_is_said_on_edit_too(staff_api: APIClient, settings: Any) -> None:
    settings.DRS_ALLOWED_SSH_NETWORKS = []
    srv = factories.server()
    resp = staff_api.patch(f"/api/servers/{srv.pk}/", {"hostname": "127.0.0.2"}, format="json")
    assert resp.status_code == 400 and "hostname" in resp.json()
    srv.refresh_from_db()
    assert srv.hostname == "cluster.example.org"


@pytest.mark.parametrize("host", ["10.0.0.5", "172.16.3.4", "192.168.1.10", "fd00::5"])
def test_private_ranges_are_allowed_by_default(
    staff_api: APIClient, settings: Any, host: str
) -> None:
    settings.DRS_ALLOWED_SSH_NETWORKS = []
    resp = staff_api.post("/api/servers/", server_body(hostname=host), format="json")
    assert resp.status_code == 201, resp.json()


def test_listed_networks_are_allowed(staff_api: APIClient, settings: Any) -> None:
    settings.DRS_ALLOWED_SSH_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]
    resp = staff_api.post("/api/servers/", server_body(hostname="127.0.0.1"), format="json")
    assert resp.status_code == 201, resp.json()


def test_job_id_prefix_is_owner_scoped(
    api: APIClient, owner: Any, stranger: Any, stranger_api: APIClient
) -> None:
    job = factories.job(owner)
    for prefix in [str(job.id)[:8], str(job.id)[:13], str(job.id).replace("-", "")[:16]]:
        resp = api.get("/api/jobs/", {"id_prefix": prefix.upper()})
        assert [j["id"] for j in resp.json()["results"]] == [str(job.id)], prefix
    resp = stranger_api.get("/api/jobs/", {"id_prefix": str(job.id)[:8]})
    assert resp.json()["results"] == []


@pytest.mark.parametrize("bad", ["ab", "xyz12345", "1234;drop", "a" * 37])
def test_bad_id_prefix_is_a_400_naming_it(api: APIClient, bad: str) -> None:
    resp = api.get("/api/jobs/", {"id_prefix": bad})
    assert resp.status_code == 400
    assert "id_prefix" in resp.json()


def test_edit_and_rerun_keeps_rerun_of(api: APIClient, owner: Any, stranger: Any) -> None:
    earlier = factories.job(owner)
    body = {
        "server": earlier.server_id,
        "credential": earlier.credential_id,
        "interpreter": earlier.interpreter_id,
        "program": "print('again')",
        "rerun_of": str(earlier.id),
    }
    resp = api.post("/api/jobs/", body, format="json")
    assert resp.status_code == 201, resp.json()
    assert resp.json()["rerun_of"] == str(earlier.id)

    theirs = factories.job(
        stranger, earlier.server, credential=factories.credential(stranger, earlier.server)
    )
    resp = api.post("/api/jobs/", body | {"rerun_of": str(theirs.id)}, format="json")
    assert resp.status_code == 400 and "rerun_of" in resp.json()
