"""Strict types (issue 32, D10/D11): a value of the wrong JSON type, or an id beyond any
database's range, is a 400 naming the field, never a 500 and never silently coerced."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.models import Job
from tests import factories
from tests.api.test_jobs import job_body

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.fixture
def setup(owner: Any) -> dict[str, Any]:
    srv = factories.server()
    cred = factories.credential(owner, srv)
    return {"server": srv, "credential": cred, "interpreter": srv.interpreters.get(name="python3")}


@pytest.mark.parametrize(
    "url",
    [
        "/api/jobs/?owner={n}", "/api/jobs/?server={n}", "/api/credentials/?server={n}",
        "/api/jobs/?owner=-{n}", "/api/jobs/?server=1.5", "/api/servers/{n}/",
        "/api/credentials/{n}/", "/api/interpreters/{n}/", "/api/auth/tokens/{n}/",
        "/api/credentials/?ordering=nope&kind={n}",
    ],
)  # fmt: skip
def test_huge_or_odd_numbers_in_urls_are_4xx(staff_api: APIClient, url: str) -> None:
    resp = staff_api.get(url.format(n=HUGE))
    assert 400 <= resp.status_code < 500, (url, resp.status_code, resp.content[:200])
    if resp.status_code == 400:
        assert resp.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("server", 1.5), ("server", "1"), ("server", True), ("server", HUGE), ("server", -1),
        ("credential", 1.5), ("credential", HUGE), ("interpreter", 1.0), ("interpreter", HUGE),
        ("title", 12), ("program", 12), ("arguments", [1, 2]), ("environment", {"A": 1}),
        ("result_patterns", [3]), ("timeout_seconds", 60.0), ("timeout_seconds", "60"),
        ("timeout_seconds", True), ("log_policy", 1),
    ],
)  # fmt: skip
def test_job_fields_are_not_coerced(
    api: APIClient, setup: dict[str, Any], field: str, value: Any
) -> None:
    resp = api.post("/api/jobs/", job_body(setup, **{field: value}), format="json")
    assert resp.status_code == 400, (field, value, resp.content[:300])
    assert field in resp.json()
    assert not Job.objects.exists()


def test_server_and_credential_fields_are_strict(staff_api: APIClient, staff: Any) -> None:
    srv = factories.server()
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("/api/servers/", {"name": 5, "hostname": "h.example.org"}, "name"),
        ("/api/servers/", {"name": "a", "hostname": "h.example.org", "port": 22.0}, "port"),
        ("/api/servers/", {"name": "a", "hostname": "h.example.org", "port": "22"}, "port"),
        ("/api/servers/", {"name": "a", "hostname": "h.example.org", "interpreters": [1.5]},
         "interpreters"),
        ("/api/servers/", {"name": "a", "hostname": "h.example.org", "interpreters": [HUGE]},
         "interpreters"),
        ("/api/interpreters/", {"name": "x", "path": 7}, "path"),
        ("/api/credentials/", {"server": float(srv.pk), "username": "u", "kind": "password",
                               "password": "p"}, "server"),
        ("/api/credentials/", {"server": srv.pk, "username": 7, "kind": "password",
                               "password": "p"}, "username"),
        ("/api/credentials/", {"server": srv.pk, "username": "u", "kind": "password",
                               "password": 1234}, "password"),
        ("/api/credentials/generate/", {"server": HUGE, "username": "u", "password": "p"},
         "server"),
        (f"/api/servers/{srv.pk}/check/", {"credential": HUGE}, "credential"),
        (f"/api/servers/{srv.pk}/check/", {"credential": 1.5}, "credential"),
    ]  # fmt: skip
    for url, body, field in cases:
        resp = staff_api.post(url, body, format="json")
        assert resp.status_code == 400, (url, body, resp.content[:300])
        assert field in resp.json(), (url, resp.json())


def test_staff_huge_owner_filter(staff_api: APIClient, owner: Any) -> None:
    factories.job(owner)
    resp = staff_api.get(f"/api/jobs/?owner={HUGE}")
    assert resp.status_code == 400 and "owner" in resp.json()
    assert staff_api.get(f"/api/jobs/?owner={owner.pk}").json()["results"]
