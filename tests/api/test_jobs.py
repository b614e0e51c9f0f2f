from __future__ import annotations

from typing import Any

import pytest
from django_q.models import OrmQ
from rest_framework.test import APIClient

from drs.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(owner: Any) -> dict[str, Any]:
    srv = factories.server()
    cred = factories.credential(owner, srv)
    return {"server": srv, "credential": cred, "interpreter": srv.interpreters.get(name="python3")}


def job_body(setup: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "fit run 1",
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "interpreter": setup["interpreter"].pk,
        "program": "import sys\nprint(sys.argv)\n",
        "arguments": ["--fit", 'it\'s "quoted" $HOME `x`'],
        "environment": {"OMP_NUM_THREADS": "4"},
        "timeout_seconds": 3600,
        "log_policy": "live",
        "result_patterns": ["*.txt", "!*.log"],
    } | extra


def test_create_is_queued_and_enqueued(
    api: APIClient, setup: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post("/api/jobs/", job_body(setup), format="json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["status"] == "queued"
    assert body["arguments"] == job_body(setup)["arguments"]
    job = Job.objects.get(pk=body["id"])
    assert job.owner.username == "owner"
    if not settings.REDIS_URL:
        # The task payload carries the job id and nothing else (no secrets, no program).
        payloads = [q.task for q in OrmQ.objects.all()]
        assert len(payloads) == 1
        assert payloads[0]["args"] == (str(job.pk),)


def test_minimal_body_uses_defaults(api: APIClient, setup: dict[str, Any]) -> None:
    body = {k: job_body(setup)[k] for k in ("server", "credential", "interpreter", "program")}
    resp = api.post("/api/jobs/", body, format="json")
    assert resp.status_code == 201, resp.json()
    job = resp.json()
    assert (job["arguments"], job["environment"], job["log_policy"], job["timeout_seconds"]) == (
        [],
        {},
        "live",
        None,
    )


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"arguments": "not a list"}, "arguments"),
        ({"arguments": [{"a": 1}]}, "arguments"),
        ({"arguments": ["nul\x00byte"]}, "arguments"),
        ({"environment": {"1BAD": "x"}}, "environment"),
        ({"environment": {"A-B": "x"}}, "environment"),
        ({"environment": {"GOOD": ["list"]}}, "environment"),
        ({"environment": ["A=1"]}, "environment"),
        ({"result_patterns": ["/etc/passwd"]}, "result_patterns"),
        ({"result_patterns": ["../up"]}, "result_patterns"),
        ({"result_patterns": ["!"]}, "result_patterns"),
        ({"result_patterns": ["[abc"]}, "result_patterns"),
        ({"timeout_seconds": 0}, "timeout_seconds"),
        ({"timeout_seconds": -5}, "timeout_seconds"),
        ({"timeout_seconds": 10**12}, "timeout_seconds"),
        ({"log_policy": "some"}, "log_policy"),
        ({"program": ""}, "program"),
        ({"program": "x" * (1024 * 1024 + 1)}, "program"),
        ({"program": "nul\x00"}, "program"),
        ({"server": 999999}, "server"),
        ({"interpreter": 999999}, "interpreter"),
        ({"credential": 999999}, "credential"),
        ({"credential": "abc"}, "credential"),
        ({"title": "t" * 201}, "title"),
    ],
)
def test_bad_input_names_the_field(
    api: APIClient, setup: dict[str, Any], override: dict[str, Any], field: str
) -> None:
    resp = api.post("/api/jobs/", job_body(setup, **override), format="json")
    assert resp.status_code == 400, resp.content[:300]
    assert field in resp.json(), resp.json()
    assert Job.objects.count() == 0


def test_interpreter_must_be_allowed_on_server(api: APIClient, setup: dict[str, Any]) -> None:
    other = factories.interpreter("ruby", "/usr/bin/ruby", [])
    resp = api.post("/api/jobs/", job_body(setup, interpreter=other.pk), format="json")
    assert resp.status_code == 400 and "interpreter" in resp.json()


def test_credential_must_be_mine_and_for_this_server(
    api: APIClient, setup: dict[str, Any], stranger: Any, owner: Any
) -> None:
    theirs = factories.credential(stranger, setup["server"])
    resp = api.post("/api/jobs/", job_body(setup, credential=theirs.pk), format="json")
    assert resp.status_code == 400 and "credential" in resp.json()
    elsewhere = factories.credential(owner, factories.server("other"))
    resp = api.post("/api/jobs/", job_body(setup, credential=elsewhere.pk), format="json")
    assert resp.status_code == 400 and "credential" in resp.json()


def test_disabled_server_refused(api: APIClient, setup: dict[str, Any]) -> None:
    setup["server"].enabled = False
    setup["server"].save()
    resp = api.post("/api/jobs/", job_body(setup), format="json")
    assert resp.status_code == 400 and "server" in resp.json()


def test_lone_surrogates_and_nul_in_query_are_400(api: APIClient, setup: dict[str, Any]) -> None:
    raw = '{"program": "\\ud800", "server": 1, "credential": 1, "interpreter": 1}'
    resp = api.post("/api/jobs/", raw, content_type="application/json")
    assert resp.status_code == 400
    assert api.get("/api/jobs/?search=a%00b").status_code == 400
    assert api.post("/api/jobs/", "{not json", content_type="application/json").status_code == 400


def test_other_users_job_is_404_everywhere(stranger_api: APIClient, owner: Any) -> None:
    job = factories.job(owner)
    for url in ["", "logs/", "log.txt", "results/"]:
        assert stranger_api.get(f"/api/jobs/{job.pk}/{url}").status_code == 404, url
    for url in ["cancel/", "rerun/"]:
        assert stranger_api.post(f"/api/jobs/{job.pk}/{url}").status_code == 404, url
    assert stranger_api.get("/api/jobs/").json()["count"] == 0
    job.refresh_from_db()
    assert job.status == "queued"


def test_staff_see_all_jobs(staff_api: APIClient, owner: Any, stranger: Any) -> None:
    factories.job(owner)
    factories.job(stranger, factories.server("s2"))
    assert staff_api.get("/api/jobs/").json()["count"] == 2


def test_list_filters_search_and_pagination(api: APIClient, owner: Any) -> None:
    srv = factories.server()
    other = factories.server("other")
    for i in range(7):
        factories.job(owner, srv, title=f"alpha {i}", status="succeeded" if i % 2 else "failed")
    factories.job(owner, other, title="beta")
    assert api.get("/api/jobs/").json()["count"] == 8
    assert api.get("/api/jobs/?status=succeeded").json()["count"] == 3
    assert api.get("/api/jobs/?status=succeeded&status=failed").json()["count"] == 7
    assert api.get(f"/api/jobs/?server={other.pk}").json()["count"] == 1
    assert api.get("/api/jobs/?search=beta").json()["results"][0]["title"] == "beta"
    page = api.get("/api/jobs/?page_size=3&page=2").json()
    assert page["count"] == 8 and len(page["results"]) == 3 and page["next"] and page["previous"]
    titles = [j["title"] for j in api.get("/api/jobs/?ordering=title").json()["results"]]
    assert titles == sorted(titles)
    assert "program" not in api.get("/api/jobs/").json()["results"][0]
    for bad in [
        "status=bogus",
        "server=abc",
        "server=999999",
        "page=999",
        "created_after=yesterday",
    ]:
        assert api.get(f"/api/jobs/?{bad}").status_code in (400, 404), bad


def test_cancel_queued_job(api: APIClient, owner: Any) -> None:
    job = factories.job(owner)
    resp = api.post(f"/api/jobs/{job.pk}/cancel/")
    assert resp.status_code == 202
    assert resp.json()["status"] == "cancelled" and resp.json()["cancel_requested"]
    assert api.post(f"/api/jobs/{job.pk}/cancel/").status_code == 409


def test_cancel_running_job_is_requested(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="running")
    resp = api.post(f"/api/jobs/{job.pk}/cancel/")
    assert resp.status_code == 202
    assert resp.json()["status"] == "running" and resp.json()["cancel_requested"]


def test_rerun(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="failed", arguments=["a"], environment={"X": "1"})
    resp = api.post(f"/api/jobs/{job.pk}/rerun/")
    assert resp.status_code == 201, resp.json()
    new = resp.json()
    assert new["id"] != str(job.pk) and new["rerun_of"] == str(job.pk)
    assert (new["status"], new["arguments"], new["environment"]) == ("queued", ["a"], {"X": "1"})


def test_rerun_without_credential(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="failed")
    job.credential.delete()
    resp = api.post(f"/api/jobs/{job.pk}/rerun/")
    assert resp.status_code == 400 and "credential" in resp.json()


def test_unknown_job_ids(api: APIClient) -> None:
    assert api.get("/api/jobs/not-a-uuid/").status_code == 404
    assert api.get("/api/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
