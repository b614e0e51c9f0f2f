"""Security review fixes (issue 14): who may run what, with whose credential, and input
names that must match in full."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from drs.common.validators import ENV_NAME, USERNAME, is_hostname_or_ip
from drs.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


def job_body(server: Any, credential: Any, **extra: Any) -> dict[str, Any]:
    return {
        "server": server.pk,
        "credential": credential.pk,
        "interpreter": server.interpreters.get(name="sh").pk,
        "program": "env\n",
    } | extra


# --- names are matched in full ------------------------------------------------------------


@pytest.mark.parametrize("name", ["FOO\n", "FOO\r\n", "\nFOO", "FOO BAR", "FOO\x0b"])
def test_environment_name_with_a_newline_is_400(api: APIClient, owner: Any, name: str) -> None:
    srv = factories.server()
    body = job_body(srv, factories.credential(owner, srv), environment={name: "x"})
    resp = api.post("/api/jobs/", body, format="json")
    assert resp.status_code == 400, resp.content[:300]
    assert "environment" in resp.json()
    assert Job.objects.count() == 0


def test_shared_name_patterns_match_in_full() -> None:
    # Serializers trim surrounding whitespace of usernames and hostnames, but a newline
    # inside (or a caller that does not trim) must not slip through `$`.
    assert not is_hostname_or_ip("host\n.example.org")
    assert not ENV_NAME.match("FOO\n") and not USERNAME.match("alice\n")
    assert is_hostname_or_ip("host.example.org") and ENV_NAME.fullmatch("FOO_1")


# --- local servers are for staff ----------------------------------------------------------


def test_only_staff_may_submit_to_a_local_server(
    api: APIClient, staff_api: APIClient, owner: Any, staff: Any
) -> None:
    local = factories.server("worker-host", kind="local", hostname="localhost")
    resp = api.post(
        "/api/jobs/", job_body(local, factories.credential(owner, local)), format="json"
    )
    assert resp.status_code == 400, resp.content[:300]
    assert resp.json() == {"server": ["Only staff may run jobs on a local server."]}
    resp = staff_api.post(
        "/api/jobs/", job_body(local, factories.credential(staff, local)), format="json"
    )
    assert resp.status_code == 201, resp.json()


def test_a_former_staff_user_cannot_rerun_a_local_job(api: APIClient, owner: Any) -> None:
    local = factories.server("worker-host", kind="local", hostname="localhost")
    job = factories.job(owner, local, status="succeeded")
    resp = api.post(f"/api/jobs/{job.pk}/rerun/")
    assert resp.status_code == 403 and "server" in resp.json(), resp.json()


# --- a job's credential is its owner's alone --------------------------------------------------


def test_staff_cannot_rerun_another_users_job(
    staff_api: APIClient, api: APIClient, owner: Any
) -> None:
    job = factories.job(owner, status="failed")
    resp = staff_api.post(f"/api/jobs/{job.pk}/rerun/")
    assert resp.status_code == 403, resp.content[:300]
    assert "credential" in resp.json() and "owner" in resp.json()["credential"][0]
    assert Job.objects.count() == 1
    # The owner still can.
    assert api.post(f"/api/jobs/{job.pk}/rerun/").status_code == 201


def test_nobody_submits_with_another_users_credential(
    staff_api: APIClient, api: APIClient, owner: Any, stranger: Any
) -> None:
    srv = factories.server()
    theirs = factories.credential(stranger, srv)
    for client in (api, staff_api):  # staff included: credentials are strictly personal
        resp = client.post("/api/jobs/", job_body(srv, theirs), format="json")
        assert resp.status_code == 400 and "credential" in resp.json(), resp.json()
    assert Job.objects.count() == 0


def test_admin_shows_job_inputs_read_only(owner: Any, stranger: Any) -> None:
    admin_user = factories.user("root", is_staff=True, is_superuser=True)
    job = factories.job(owner, status="succeeded", program="print('mine')\n")
    browser = Client()
    browser.force_login(admin_user)
    page = browser.get(f"/admin/jobs/job/{job.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("program", "credential", "owner"):
        assert f'name="{field}"' not in html, field  # shown, but not as an input
    assert "print(&#x27;mine&#x27;)" in html
    other = factories.credential(stranger, job.server)
    browser.post(
        f"/admin/jobs/job/{job.pk}/change/",
        {"program": "rm -rf ~", "owner": stranger.pk, "credential": other.pk, "title": "x"},
    )
    job.refresh_from_db()
    assert (job.program, job.owner_id, job.credential_id) == (
        "print('mine')\n",
        owner.pk,
        job.credential_id,
    )
    assert job.credential is not None and job.credential.owner_id == owner.pk
    assert browser.get("/admin/jobs/job/add/").status_code == 403
