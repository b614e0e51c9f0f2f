"""Applications, application jobs and sweeps through the REST API (no runner: what the
API accepts, refuses, records and dispatches)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from drs.applications.models import Application, Sweep
from drs.jobs import dispatch
from drs.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA = {
    "type": "object",
    "properties": {
        "q_max": {"type": "number", "title": "Q max", "minimum": 0, "maximum": 1, "default": 0.3},
        "model": {"type": "string", "enum": ["one", "two"], "default": "one"},
        "label": {"type": "string", "title": "Label"},
        "steps": {"type": "integer", "minimum": 1, "default": 10},
        "verbose": {"type": "boolean", "default": False},
        "tag": {"type": "string", "pattern": "^[a-z]+$", "default": "run"},
    },
    "required": ["label"],
}


@pytest.fixture
def setup(owner: Any) -> dict[str, Any]:
    srv = factories.server()
    return {
        "server": srv,
        "credential": factories.credential(owner, srv),
        "interpreter": srv.interpreters.get(name="python3"),
    }


def app_body(setup: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": "fit",
        "title": "Least-squares fit",
        "description": "Fits a **line**.",
        "interpreter": setup["interpreter"].pk,
        "program": "import sys\nprint(sys.argv)\n",
        "arguments": ["--q-max={q_max}", "{model}", "--label", "{label}", "{steps}", "{verbose}"],
        "environment": {"FIT_TAG": "{tag}", "LITERAL": "{{not a placeholder}}"},
        "parameters": SCHEMA,
        "result_patterns": ["*.json"],
        "servers": [],
        "timeout_seconds": 600,
        "log_policy": "live",
    } | extra


@pytest.fixture
def app(staff_api: APIClient, setup: dict[str, Any]) -> dict[str, Any]:
    resp = staff_api.post("/api/applications/", app_body(setup), format="json")
    assert resp.status_code == 201, resp.json()
    return dict(resp.json())


def submit(api: APIClient, setup: dict[str, Any], parameters: Any, **extra: Any) -> Any:
    body = {
        "application": "fit",
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "parameters": parameters,
    } | extra
    return api.post("/api/jobs/", body, format="json")


def test_staff_write_everyone_reads(
    api: APIClient, staff_api: APIClient, anon_api: APIClient, setup: dict[str, Any]
) -> None:
    assert api.post("/api/applications/", app_body(setup), format="json").status_code == 403
    assert anon_api.get("/api/applications/").status_code in (401, 403)
    resp = staff_api.post("/api/applications/", app_body(setup), format="json")
    assert resp.status_code == 201, resp.json()
    listed = api.get("/api/applications/").json()
    assert [a["name"] for a in listed] == ["fit"]
    assert api.patch("/api/applications/fit/", {"title": "x"}, format="json").status_code == 403
    assert api.delete("/api/applications/fit/").status_code == 403
    assert api.get("/api/applications/nosuch/").status_code == 404
    # Disabled: gone for users (list, detail and submission), still there for staff.
    resp = staff_api.patch("/api/applications/fit/", {"enabled": False}, format="json")
    assert resp.status_code == 200
    assert api.get("/api/applications/").json() == []
    assert api.get("/api/applications/fit/").status_code == 404
    assert staff_api.get("/api/applications/fit/").status_code == 200
    resp = submit(api, setup, {"label": "x"})
    assert resp.status_code == 400
    assert "application" in resp.json()


def test_parameter_order_is_kept(app: dict[str, Any], api: APIClient) -> None:
    shown = api.get("/api/applications/fit/").json()
    assert list(shown["parameters"]["properties"]) == list(SCHEMA["properties"])
    assert shown["parameters"]["required"] == ["label"]


@pytest.mark.parametrize(
    "parameters",
    [
        None,
        [],
        {"type": "array"},
        {"type": "object", "properties": {"x": {"type": "array"}}},
        {"type": "object", "properties": {"x": {"type": "number", "minimum": "low"}}},
        {"type": "object", "properties": {"x": {"type": "string", "pattern": "("}}},
        {"type": "object", "properties": {"x": {"type": "integer", "default": 1.5}}},
        {"type": "object", "properties": {"x": {"type": "string", "enum": ["a"], "default": "b"}}},
        {"type": "object", "properties": {"x": {"type": "string", "format": "email"}}},
        {"type": "object", "properties": {"x": {"type": "string", "format": "file", "x-path": "../up"}}},
        {"type": "object", "properties": {"x y": {"type": "string"}}},
        {"type": "object", "properties": {"x": {"type": "string", "oneOf": []}}},
        {"type": "object", "properties": {}, "required": ["ghost"]},
        {"type": "object", "additionalProperties": True},
    ],
)  # fmt: skip
def test_bad_schema_is_400_naming_parameters(
    staff_api: APIClient, setup: dict[str, Any], parameters: Any
) -> None:
    body = app_body(setup, parameters=parameters, arguments=[], environment={})
    resp = staff_api.post("/api/applications/", body, format="json")
    assert resp.status_code == 400, resp.json()
    assert list(resp.json()) == ["parameters"], resp.json()
    assert not Application.objects.exists()


def test_placeholder_naming_no_parameter_is_400(
    staff_api: APIClient, setup: dict[str, Any]
) -> None:
    body = app_body(setup, arguments=["{q_maxx}"], environment={"A": "{nope}"})
    resp = staff_api.post("/api/applications/", body, format="json")
    assert resp.status_code == 400
    assert resp.json() == {
        "arguments": ["{q_maxx} names no parameter."],
        "environment": ["{nope} names no parameter."],
    }


def test_submit_renders_argv_and_environment(
    app: dict[str, Any],
    api: APIClient,
    setup: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    label = "a b; rm -rf / $(touch x) `id` 'q' \"dq\" {q_max}"
    redis = dispatch._sync_client()
    redis.delete(dispatch.queue_key())
    with django_capture_on_commit_callbacks(execute=True):
        resp = submit(api, setup, {"label": label, "q_max": 0.25, "steps": 3.0, "verbose": True})
    assert resp.status_code == 201, resp.json()
    job = resp.json()
    assert job["application"] == "fit"
    assert job["title"] == "Least-squares fit"
    assert job["parameters"] == {
        "q_max": 0.25, "model": "one", "label": label, "steps": 3, "verbose": True, "tag": "run",
    }  # fmt: skip
    # A value is never re-read as a template: "{q_max}" inside the label stays as given.
    assert job["arguments"] == ["--q-max=0.25", "one", "--label", label, "3", "true"]
    assert job["environment"] == {"FIT_TAG": "run", "LITERAL": "{not a placeholder}"}
    assert job["program"] == app_body(setup)["program"]
    assert job["timeout_seconds"] == 600
    assert job["result_patterns"] == ["*.json"]
    assert redis.lrange(dispatch.queue_key(), 0, -1) == [job["id"].encode()]
    redis.delete(dispatch.queue_key())

    listed = api.get("/api/jobs/").json()["results"][0]
    assert (listed["application"], listed["sweep"]) == ("fit", None)

    rerun = api.post(f"/api/jobs/{job['id']}/rerun/").json()
    assert rerun["application"] == "fit"
    assert rerun["parameters"] == job["parameters"]
    assert rerun["arguments"] == job["arguments"]


@pytest.mark.parametrize(
    ("parameters", "errors"),
    [
        ({"label": "x", "q_max": 1.5}, {"q_max": ["Must be at most 1."]}),
        ({"label": "x", "q_max": -1}, {"q_max": ["Must be at least 0."]}),
        ({"label": "x", "q_max": "0.2"}, {"q_max": ["Must be a number."]}),
        ({"label": "x", "steps": 2.5}, {"steps": ["Must be an integer."]}),
        ({"label": "x", "steps": True}, {"steps": ["Must be an integer."]}),
        ({"label": "x", "verbose": "yes"}, {"verbose": ["Must be true or false."]}),
        ({"label": "x", "model": "three"}, {"model": ["Must be one of: one, two."]}),
        ({"label": "x", "tag": "UP"}, {"tag": ["Must match the pattern ^[a-z]+$."]}),
        ({}, {"label": ["This parameter is required."]}),
        ({"label": "x", "ghost": 1}, {"ghost": ["Unknown parameter."]}),
        ({"label": 5, "ghost": 1}, {"label": ["Must be a string."], "ghost": ["Unknown parameter."]}),
        ("label=x", {"non_field_errors": ["Must be an object of parameter values."]}),
    ],
)  # fmt: skip
def test_bad_parameters_are_400_by_name(
    app: dict[str, Any],
    api: APIClient,
    setup: dict[str, Any],
    parameters: Any,
    errors: dict[str, list[str]],
) -> None:
    resp = submit(api, setup, parameters)
    assert resp.status_code == 400
    assert resp.json() == {"parameters": errors}
    assert not Job.objects.exists()


def test_server_not_allowed_and_program_fields_refused(
    staff_api: APIClient, api: APIClient, setup: dict[str, Any], owner: Any
) -> None:
    other = factories.server("other")
    body = app_body(setup, servers=[other.pk])
    assert staff_api.post("/api/applications/", body, format="json").status_code == 201
    resp = submit(api, setup, {"label": "x"})
    assert resp.status_code == 400
    assert list(resp.json()) == ["server"]
    resp = submit(api, setup, {"label": "x"}, program="print(1)", server=other.pk)
    assert resp.status_code == 400
    assert list(resp.json()) == ["program"]
    # Allowed server, but the credential is for another one: the plain job rules apply.
    resp = submit(api, setup, {"label": "x"}, server=other.pk)
    assert resp.status_code == 400
    assert list(resp.json()) == ["credential"]
    # A stranger's credential does not exist for this user.
    cred = factories.credential(owner, other)
    assert (
        submit(api, setup, {"label": "x"}, server=other.pk, credential=cred.pk).status_code == 201
    )


def test_sweep_makes_every_combination(
    app: dict[str, Any],
    api: APIClient,
    stranger_api: APIClient,
    setup: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    redis = dispatch._sync_client()
    redis.delete(dispatch.queue_key())
    body = {
        "application": "fit",
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "parameters": {"label": "scan"},
        "vary": {"model": ["one", "two"], "q_max": [0.1, 0.2, 0.3]},
    }
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post("/api/sweeps/", body, format="json")
    assert resp.status_code == 201, resp.json()
    created = resp.json()
    assert created["count"] == 6
    assert len(created["jobs"]) == 6
    queued = redis.lrange(dispatch.queue_key(), 0, -1)
    assert sorted(queued) == sorted(j.encode() for j in created["jobs"])
    redis.delete(dispatch.queue_key())

    jobs = [Job.objects.get(pk=pk) for pk in created["jobs"]]
    assert [(j.parameters["model"], j.parameters["q_max"]) for j in jobs] == list(
        itertools.product(["one", "two"], [0.1, 0.2, 0.3])
    )
    assert {str(j.sweep_id) for j in jobs} == {created["id"]}
    assert [j.arguments[:2] for j in jobs] == [
        [f"--q-max={q}", m] for m, q in itertools.product(["one", "two"], ["0.1", "0.2", "0.3"])
    ]
    assert all(j.status == "queued" and j.application == "fit" for j in jobs)

    summary = api.get(f"/api/sweeps/{created['id']}/").json()
    assert summary["application"] == "fit"
    assert summary["count"] == 6
    assert summary["status_counts"] == {"queued": 6}
    listed = api.get(f"/api/jobs/?sweep={created['id']}").json()["results"]
    assert sorted(j["id"] for j in listed) == sorted(created["jobs"])
    assert {j["sweep"] for j in listed} == {created["id"]}
    assert stranger_api.get(f"/api/sweeps/{created['id']}/").status_code == 404
    assert stranger_api.post(f"/api/sweeps/{created['id']}/cancel/").status_code == 404
    assert stranger_api.get(f"/api/jobs/?sweep={created['id']}").json()["results"] == []

    Job.objects.filter(pk=created["jobs"][0]).update(status="running")
    resp = api.post(f"/api/sweeps/{created['id']}/cancel/")
    assert resp.status_code == 202
    assert resp.json() == {"cancelled": 6}
    summary = api.get(f"/api/sweeps/{created['id']}/").json()
    # Queued jobs end at once; the running one is asked to stop (its runner ends it).
    assert summary["status_counts"] == {"cancelled": 5, "running": 1}
    assert Job.objects.get(pk=created["jobs"][0]).cancel_requested_at is not None


def sweep_body(setup: dict[str, Any], vary: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "application": "fit",
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "parameters": {"label": "scan"},
        "vary": vary,
    } | extra


@pytest.mark.parametrize(
    ("vary", "errors"),
    [
        ({}, ["Name at least one parameter and its values."]),
        ({"ghost": [1]}, {"ghost": ["Unknown parameter."]}),
        ({"label": ["a"]}, {"label": ["Also given in parameters: give it in one place."]}),
        ({"q_max": [0.1, 2]}, {"q_max": ["2: Must be at most 1."]}),
        ({"model": ["one", "three"]}, {"model": ["three: Must be one of: one, two."]}),
        ({"q_max": [0.1, 0.2, 0.3], "steps": [1, 2]}, ["This sweep would make 6 jobs; at most 5."]),
    ],
)
def test_bad_sweeps_are_400_naming_vary(
    app: dict[str, Any],
    api: APIClient,
    setup: dict[str, Any],
    settings: Any,
    vary: dict[str, Any],
    errors: Any,
) -> None:
    settings.DRS_MAX_SWEEP_JOBS = 5
    resp = api.post("/api/sweeps/", sweep_body(setup, vary), format="json")
    assert resp.status_code == 400
    assert resp.json() == {"vary": errors}
    assert not Sweep.objects.exists()


def test_sweep_is_all_or_none(app: dict[str, Any], api: APIClient, setup: dict[str, Any]) -> None:
    # The second label renders an argv item over the job limit: no job at all is created.
    body = sweep_body(setup, {"label": ["ok", "x" * 70_000]}, parameters={})
    resp = api.post("/api/sweeps/", body, format="json")
    assert resp.status_code == 400
    assert list(resp.json()) == ["arguments"]
    assert not Sweep.objects.exists()
    assert not Job.objects.exists()
    resp = api.post("/api/sweeps/", sweep_body(setup, {"steps": [1]}, parameters={}), format="json")
    assert resp.status_code == 400
    assert resp.json() == {"parameters": {"label": ["This parameter is required."]}}


def test_a_file_parameter_becomes_a_job_input(
    api: APIClient, stranger_api: APIClient, staff_api: APIClient, setup: dict[str, Any]
) -> None:
    schema = {
        "type": "object",
        "properties": {
            "data": {"type": "string", "format": "file", "x-path": "in/data.csv"},
            "n": {"type": "integer", "default": 1},
        },
        "required": ["data"],
    }
    body = app_body(setup, arguments=["--data={data}", "{n}"], environment={}, parameters=schema)
    assert staff_api.post("/api/applications/", body, format="json").status_code == 201
    upload = {"file": SimpleUploadedFile("data.csv", b"x,y\n1,2\n")}
    mine = api.post("/api/files/", upload, format="multipart").json()["id"]
    resp = submit(api, setup, {"data": mine})
    assert resp.status_code == 201, resp.json()
    job = Job.objects.get(pk=resp.json()["id"])
    assert job.arguments == ["--data=in/data.csv", "1"]
    assert [(i.path, str(i.file_id), i.size) for i in job.inputs.all()] == [
        ("in/data.csv", mine, 8)
    ]
    assert resp.json()["parameters"] == {"data": mine, "n": 1}

    # Someone else's upload is refused and nothing is created.
    upload = {"file": SimpleUploadedFile("theirs.csv", b"z\n")}
    theirs = stranger_api.post("/api/files/", upload, format="multipart").json()["id"]
    resp = submit(api, setup, {"data": theirs})
    assert resp.status_code == 400
    assert "inputs" in resp.json()
    assert submit(api, setup, {"data": "notes.csv"}).json() == {
        "parameters": {"data": ["Must be the id of an uploaded file."]}
    }
    assert Job.objects.count() == 1

    # A sweep: every job stages the same upload.
    sweep = {
        "application": "fit",
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "parameters": {"data": mine},
        "vary": {"n": [2, 3]},
    }
    resp = api.post("/api/sweeps/", sweep, format="json")
    assert resp.status_code == 201, resp.json()
    jobs = Job.objects.filter(pk__in=resp.json()["jobs"]).order_by("arguments")
    assert [(j.arguments, [(i.path, str(i.file_id)) for i in j.inputs.all()]) for j in jobs] == [
        (["--data=in/data.csv", n], [("in/data.csv", mine)]) for n in ("2", "3")
    ]
