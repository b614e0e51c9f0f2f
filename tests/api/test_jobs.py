from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from drs.jobs import dispatch
from drs.jobs.models import Job
from drs.jobs.serializers import JobSummarySerializer
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


def test_create_is_queued_and_dispatched(
    api: APIClient, setup: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    redis = dispatch._sync_client()
    redis.delete(dispatch.queue_key())
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post("/api/jobs/", job_body(setup), format="json")
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["status"] == "queued"
    assert body["arguments"] == job_body(setup)["arguments"]
    job = Job.objects.get(pk=body["id"])
    assert job.owner.username == "owner"
    # The runners' queue carries the job id and nothing else (no secrets, no program).
    assert redis.lrange(dispatch.queue_key(), 0, -1) == [str(job.pk).encode()]
    redis.delete(dispatch.queue_key())


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
    for url in ["", "logs/", "logs/?tail=5", "logs/search/?q=hi", "log.txt", "results/"]:
        assert stranger_api.get(f"/api/jobs/{job.pk}/{url}").status_code == 404, url
    for url in ["cancel/", "rerun/"]:
        assert stranger_api.post(f"/api/jobs/{job.pk}/{url}").status_code == 404, url
    assert stranger_api.get("/api/jobs/").json()["results"] == []
    assert stranger_api.get(f"/api/jobs/?owner={owner.pk}").json()["results"] == []
    job.refresh_from_db()
    assert job.status == "queued"


def test_staff_see_all_jobs(staff_api: APIClient, owner: Any, stranger: Any) -> None:
    factories.job(owner)
    theirs = factories.job(stranger, factories.server("s2"))
    assert len(staff_api.get("/api/jobs/").json()["results"]) == 2
    only = staff_api.get(f"/api/jobs/?owner={stranger.pk}").json()["results"]
    assert [j["id"] for j in only] == [str(theirs.pk)]


def ids(resp: Any) -> list[str]:
    assert resp.status_code == 200, resp.content[:300]
    return [j["id"] for j in resp.json()["results"]]


def test_list_filters_and_search(api: APIClient, owner: Any) -> None:
    srv = factories.server()
    other = factories.server("other")
    for i in range(7):
        factories.job(owner, srv, title=f"alpha {i}", status="succeeded" if i % 2 else "failed")
    factories.job(owner, other, title="beta", status="running")
    assert len(ids(api.get("/api/jobs/"))) == 8
    assert len(ids(api.get("/api/jobs/?status=succeeded"))) == 3
    assert len(ids(api.get("/api/jobs/?status=succeeded&status=failed"))) == 7
    assert len(ids(api.get("/api/jobs/?status=succeeded,running"))) == 4
    assert len(ids(api.get("/api/jobs/?status=succeeded,running&status=failed"))) == 8
    assert len(ids(api.get(f"/api/jobs/?server={other.pk}"))) == 1
    assert len(ids(api.get(f"/api/jobs/?server={srv.pk}&status=failed&search=ALPHA"))) == 4
    assert len(ids(api.get(f"/api/jobs/?server={srv.pk}&status=running"))) == 0
    assert api.get("/api/jobs/?search=beta").json()["results"][0]["title"] == "beta"
    assert "program" not in api.get("/api/jobs/").json()["results"][0]
    body = api.get("/api/jobs/").json()
    assert set(body) == {"next", "previous", "results"}  # no count: no COUNT(*)
    for bad, field in [
        ("status=bogus", "status"),
        ("status=running,bogus", "status"),
        ("server=abc", "server"),
        ("server=999999", "server"),
        ("owner=abc", "owner"),
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-13-01", "created_before"),
        ("created_before=0001-01-01T00:00:00%2B23:08", "created_before"),
        ("cursor=bogus", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=x", "page_size"),
    ]:
        resp = api.get(f"/api/jobs/?{bad}")
        assert resp.status_code == 400, bad
        assert field in resp.json(), (bad, resp.json())


def test_created_range(api: APIClient, owner: Any) -> None:
    srv = factories.server()
    base = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for day in range(5):
        job = factories.job(owner, srv, title=f"day {day}")
        Job.objects.filter(pk=job.pk).update(created_at=base + timedelta(days=day))
        made.append(str(job.pk))
    resp = api.get("/api/jobs/?created_after=2026-01-02T00:00:00Z&created_before=2026-01-04")
    assert ids(resp) == [made[2], made[1]]  # after inclusive, before exclusive, newest first
    offset = api.get("/api/jobs/", {"created_after": "2026-01-04T01:00:00+01:00"})
    assert ids(offset) == [made[4], made[3]]
    far = api.get("/api/jobs/", {"created_before": "0643-07-30T14:27:14+23:08"})
    assert ids(far) == []  # an offset PostgreSQL would refuse, read in UTC


def walk(api: APIClient, url: str) -> list[str]:
    """Every id, following `next` links; each page's `previous` leads back to the last."""
    seen: list[str] = []
    pages: list[list[str]] = []
    while url:
        body = api.get(url).json()
        pages.append([j["id"] for j in body["results"]])
        if body["previous"]:
            assert [j["id"] for j in api.get(body["previous"]).json()["results"]] == pages[-2]
        else:
            assert len(pages) == 1
        seen += pages[-1]
        url = body["next"]
    return seen


def test_cursor_walk_has_no_duplicates_or_gaps(api: APIClient, owner: Any) -> None:
    """Equal timestamps (bulk inserts) are ordered by id: pages never repeat or skip."""
    srv = factories.server()
    cred = factories.credential(owner, srv)
    jobs = [
        factories.job(owner, srv, credential=cred, status="failed" if i % 3 else "succeeded")
        for i in range(23)
    ]
    same = datetime(2026, 3, 1, tzinfo=UTC)
    Job.objects.filter(pk__in=[j.pk for j in jobs[5:15]]).update(created_at=same)
    expected = [
        str(pk) for pk in Job.objects.order_by("-created_at", "id").values_list("pk", flat=True)
    ]
    for size in (1, 4, 7, 23, 50):
        assert walk(api, f"/api/jobs/?page_size={size}") == expected, size
    failed = [
        str(pk)
        for pk in Job.objects.filter(status="failed")
        .order_by("-created_at", "id")
        .values_list("pk", flat=True)
    ]
    assert walk(api, "/api/jobs/?page_size=4&status=failed") == failed
    first = api.get("/api/jobs/?page_size=4").json()
    assert first["previous"] is None and "page_size=4" in first["next"]
    # A job created meanwhile shows on the first page, not in the middle of the walk.
    second = api.get(first["next"]).json()
    factories.job(owner, srv, credential=cred)
    assert [j["id"] for j in api.get(first["next"]).json()["results"]] == [
        j["id"] for j in second["results"]
    ]
    assert len(ids(api.get("/api/jobs/?page_size=1000"))) == 24  # capped at 200, all here


def test_cursor_is_opaque_but_checked(api: APIClient, owner: Any) -> None:
    factories.job(owner)
    for bad in [
        "x",
        "%%%",
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b'{"d":"n","t":"2026-01-01T00:00:00","k":"x"}').decode(),
        base64.urlsafe_b64encode(b'{"d":"n","t":"2026-01-01T00:00:00+00:00","k":"x"}').decode(),
        base64.urlsafe_b64encode(b'{"d":"q","t":"2026-01-01T00:00:00+00:00","k":1}').decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b'{"d":"n","t":"0001-01-01T00:00:00+23:59","k":1}').decode(),
        "\u00e9",
    ]:
        resp = api.get("/api/jobs/", {"cursor": bad})
        assert resp.status_code == 400 and "cursor" in resp.json(), bad
    # An offset PostgreSQL would refuse is read in UTC.
    odd = base64.urlsafe_b64encode(
        b'{"d":"n","t":"2026-01-01T00:00:00+23:30","k":"00000000-0000-0000-0000-000000000000"}'
    ).decode()
    assert api.get("/api/jobs/", {"cursor": odd}).status_code == 200


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


def test_list_rows_match_the_summary_serializer(
    staff_api: APIClient, owner: Any, stranger: Any
) -> None:
    """The list shapes rows without the serializer (jobs/summaries.py): same JSON."""
    srv = factories.server()
    first = factories.job(owner, srv, title="plain")
    now = timezone.now()
    factories.job(
        stranger,
        factories.server("other"),
        title="finished",
        status="failed",
        exit_code=3,
        signal="TERM",
        error="boom",
        started_at=now - timedelta(seconds=90),
        finished_at=now,
        cancel_requested_at=now,
        rerun_of=first,
        timeout_seconds=60,
        last_seq=12,
    )
    factories.job(owner, srv, status="running", started_at=now)
    listed = staff_api.get("/api/jobs/").json()["results"]
    jobs = Job.objects.select_related("owner", "server", "interpreter").order_by(
        "-created_at", "id"
    )
    expected = json.loads(JSONRenderer().render(JobSummarySerializer(jobs, many=True).data))
    assert listed == expected
    assert {j["title"] for j in listed} == {"fit", "finished", "plain"}
