"""Application jobs and sweeps run by the real engine against the real sshd: parameter
values arrive as exact argv items and environment values, and never reach a shell."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.models import Job
from tests.runner.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)

LABEL = "two words; touch pwned-1 $(touch pwned-2) `touch pwned-3` 'single' \"double\" \\ *"
PROGRAM = (
    "import json, os, sys\n"
    "print(json.dumps({'argv': sys.argv[1:], 'env': {k: os.environ.get(k) for k in"
    " ('FIT_LABEL', 'FIT_Q')}, 'files': sorted(os.listdir('.'))}))\n"
)


def make_app(staff_api: APIClient, **extra: Any) -> None:
    from tests import factories

    body = {
        "name": "echo",
        "title": "Echo",
        "interpreter": factories.interpreter().pk,
        "program": PROGRAM,
        "arguments": ["--label", "{label}", "q={q}", "{on}", "{n}"],
        "environment": {"FIT_LABEL": "{label}", "FIT_Q": "Q is {q}"},
        "parameters": {
            "type": "object",
            "properties": {
                "label": {"type": "string"},
                "q": {"type": "number", "default": 0.1},
                "on": {"type": "boolean", "default": False},
                "n": {"type": "integer", "default": 7},
            },
            "required": ["label"],
        },
    } | extra
    resp = staff_api.post("/api/applications/", body, format="json")
    assert resp.status_code == 201, resp.json()


def test_parameters_arrive_as_exact_argv_items(
    api: APIClient, staff_api: APIClient, server: Any, credential: Any, sshd: Any
) -> None:
    make_app(staff_api)
    resp = api.post(
        "/api/jobs/",
        {
            "application": "echo",
            "server": server.pk,
            "credential": credential.pk,
            "parameters": {"label": LABEL, "q": 1e-05, "on": True},
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    job = run(Job.objects.get(pk=resp.json()["id"]))
    assert job.status == "succeeded", job.error
    out = json.loads(b"".join(bytes(c.data) for c in job.log_chunks.order_by("seq")))
    assert out["argv"] == ["--label", LABEL, "q=1e-05", "true", "7"]
    assert out["env"] == {"FIT_LABEL": LABEL, "FIT_Q": "Q is 1e-05"}
    # Nothing in the label ran: no file was created in the job directory or the home.
    assert not [f for f in out["files"] if f.startswith("pwned")]
    assert not list(sshd.key_user.home.glob("**/pwned-*"))


def test_sweep_cancel_stops_running_and_queued_jobs(
    api: APIClient,
    staff_api: APIClient,
    server: Any,
    credential: Any,
    run_in_thread: Callable[[Job], threading.Thread],
) -> None:
    server.max_concurrent_jobs = 1  # one job runs; the other two wait in the queue
    server.save(update_fields=["max_concurrent_jobs"])
    make_app(
        staff_api,
        name="sleeper",
        program="import sys, time\nprint('up', sys.argv[1], flush=True)\ntime.sleep(300)\n",
        arguments=["{n}"],
        environment={},
    )
    resp = api.post(
        "/api/sweeps/",
        {
            "application": "sleeper",
            "server": server.pk,
            "credential": credential.pk,
            "parameters": {"label": "x"},
            "vary": {"n": [1, 2, 3]},
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    sweep_id, ids = resp.json()["id"], resp.json()["jobs"]
    first = Job.objects.get(pk=ids[0])
    thread = run_in_thread(first)
    deadline = time.monotonic() + 60
    while not first.log_chunks.exists():
        assert time.monotonic() < deadline, Job.objects.get(pk=ids[0]).status
        time.sleep(0.1)
    assert Job.objects.get(pk=ids[0]).status == "running"
    assert {Job.objects.get(pk=pk).status for pk in ids[1:]} == {"queued"}

    assert api.post(f"/api/sweeps/{sweep_id}/cancel/").json() == {"cancelled": 3}
    thread.join(60)
    assert not thread.is_alive()
    summary = api.get(f"/api/sweeps/{sweep_id}/").json()
    assert summary["status_counts"] == {"cancelled": 3}
    assert bytes(first.log_chunks.get().data) == b"up 1\n"


def test_demo_application_fits_generated_data(api: APIClient, server: Any, credential: Any) -> None:
    from drs.applications.demo import ensure_demo_application

    server.interpreters.add(ensure_demo_application().interpreter)  # staff's step
    resp = api.post(
        "/api/jobs/",
        {
            "application": "least-squares-fit",
            "server": server.pk,
            "credential": credential.pk,
            "parameters": {"model": "parabola", "noise": 0, "points": 20},
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    job = run(Job.objects.get(pk=resp.json()["id"]))
    assert job.status == "succeeded", job.error
    result = job.results.get()
    assert result.path == "fit.json"
    fit = json.loads(result.file.read())
    assert fit["model"] == "parabola"
    assert [round(c, 6) for c in fit["coefficients"]] == [1.5, 2.0, -0.5]
