"""One "may this job run here" rule (drs/jobs/rules.py): a submission, a rerun and a
schedule's tick refuse the same job for the same reason, naming the same field; the
runner's last check before a start refuses what can change while a job waits."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.rules import Stage, job_refusal
from drs.servers.models import Interpreter
from tests import factories

pytestmark = pytest.mark.django_db


def body(server: Any, credential: Any, interpreter: Interpreter) -> dict[str, Any]:
    return {
        "server": server.pk,
        "credential": credential.pk,
        "interpreter": interpreter.pk,
        "program": "print('hi')\n",
    }


def submit_and_rerun(api: APIClient, job: Any) -> tuple[Any, Any]:
    submitted = api.post(
        "/api/jobs/", body(job.server, job.credential, job.interpreter), format="json"
    )
    rerun = api.post(f"/api/jobs/{job.pk}/rerun/")
    return submitted, rerun


def test_a_disabled_server_refuses_submissions_and_reruns(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    job.server.enabled = False
    job.server.save()
    submitted, rerun = submit_and_rerun(api, job)
    assert (submitted.status_code, rerun.status_code) == (400, 400)
    assert submitted.json() == rerun.json() == {"server": ["This server is disabled."]}


def test_an_interpreter_the_server_dropped(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    job.server.interpreters.remove(job.interpreter)
    submitted, rerun = submit_and_rerun(api, job)
    assert (submitted.status_code, rerun.status_code) == (400, 400)
    assert submitted.json() == rerun.json() == {"interpreter": ["Not available on this server."]}


def test_a_schedule_refuses_what_a_submission_refuses(api: APIClient, owner: Any) -> None:
    server = factories.server()
    credential = factories.credential(owner, server)
    server.enabled = False
    server.save()
    job = body(server, credential, server.interpreters.get(name="sh"))
    resp = api.post(
        "/api/schedules/", {"name": "nightly", "cron": "0 3 * * *", "job": job}, format="json"
    )
    assert resp.status_code == 400
    assert "This server is disabled." in str(resp.json())


def test_the_runner_checks_whose_login_a_waiting_job_uses(owner: Any, stranger: Any) -> None:
    server = factories.server()
    theirs = factories.credential(stranger, server)
    refusal = job_refusal(owner=owner, server=server, credential=theirs, stage=Stage.START)
    assert refusal is not None and refusal.field == "credential"
    assert refusal.message == "The job's credential belongs to another user; nothing was run."
    # A server disabled while the job waited does not stop it at the start.
    server.enabled = False
    server.save()
    mine = factories.credential(owner, server)
    assert job_refusal(owner=owner, server=server, credential=mine, stage=Stage.START) is None
    assert job_refusal(owner=owner, server=server, credential=mine) == (
        job_refusal(owner=owner, server=server, credential=mine, stage=Stage.SUBMIT)
    )
    assert job_refusal(owner=owner, server=server, credential=mine) is not None
