"""/api/schedules/ and the clock's ticks (in this process; test_clock_processes.py runs
two real notifier processes)."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from drs.jobs.models import Job
from drs.notifications import services as notifications
from drs.notifications.models import Delivery
from drs.schedules import clock
from drs.schedules.cron import next_runs
from drs.schedules.models import Schedule, ScheduleRun
from tests import factories


@pytest.fixture
def body(owner: Any) -> dict[str, Any]:
    server = factories.server()
    credential = factories.credential(owner, server)
    return {
        "server": server.pk,
        "credential": credential.pk,
        "interpreter": server.interpreters.first().pk,  # type: ignore[union-attr]
        "program": "print('nightly')",
    }


def create(api: APIClient, body: dict[str, Any], **extra: Any) -> Any:
    data = {"name": "nightly", "cron": "0 2 * * *", "job": body} | extra
    return api.post("/api/schedules/", data, format="json")


def make_due(schedule_id: int, *, ago: float = 1) -> datetime:
    tick = timezone.now() - timedelta(seconds=ago)
    Schedule.objects.filter(pk=schedule_id).update(next_run_at=tick)
    return tick


def test_create_computes_next_runs_in_the_timezone(api: APIClient, body: dict[str, Any]) -> None:
    resp = create(api, body, cron="30  2 * * *", timezone="Europe/Paris")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["cron"] == "30 2 * * *"
    assert data["overlap"] == "skip"
    assert data["enabled"] is True
    assert data["last_job"] is None
    assert data["last_runs"] == []
    runs = [datetime.fromisoformat(t) for t in data["next_runs"]]
    assert len(runs) == 5
    assert datetime.fromisoformat(data["next_run_at"]) == runs[0]
    from zoneinfo import ZoneInfo

    for run in runs:
        local = run.astimezone(ZoneInfo("Europe/Paris"))
        assert (local.hour, local.minute) == (2, 30)
    assert runs == sorted(runs)
    assert runs[0] > timezone.now()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"cron": "* * * *"}, "cron"),
        ({"cron": "* * * * * *"}, "cron"),
        ({"cron": "61 * * * *"}, "cron"),
        ({"cron": "every day"}, "cron"),
        ({"cron": ""}, "cron"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"overlap": "sometimes"}, "overlap"),
        ({"job": "print(1)"}, "job"),
        ({"job": {"program": "x"}}, "job"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    api: APIClient, body: dict[str, Any], extra: dict[str, Any], field: str
) -> None:
    resp = create(api, body, **extra)
    assert resp.status_code == 400, resp.content
    assert field in resp.json(), resp.json()
    assert not Schedule.objects.exists()


def test_the_job_body_is_checked_as_a_submission(
    api: APIClient, stranger: Any, body: dict[str, Any]
) -> None:
    theirs = factories.credential(stranger, factories.server("theirs"))
    resp = create(api, body | {"credential": theirs.pk})
    assert resp.status_code == 400
    assert "credential" in resp.json()["job"]


def test_another_users_schedule_is_404(
    api: APIClient, stranger_api: APIClient, body: dict[str, Any]
) -> None:
    schedule_id = create(api, body).json()["id"]
    assert stranger_api.get(f"/api/schedules/{schedule_id}/").status_code == 404
    assert (
        stranger_api.patch(f"/api/schedules/{schedule_id}/", {"enabled": False}).status_code == 404
    )
    assert stranger_api.delete(f"/api/schedules/{schedule_id}/").status_code == 404
    assert stranger_api.get("/api/schedules/").json()["results"] == []


def test_disabling_clears_next_run(api: APIClient, body: dict[str, Any]) -> None:
    schedule_id = create(api, body).json()["id"]
    data = api.patch(f"/api/schedules/{schedule_id}/", {"enabled": False}, format="json").json()
    assert data["next_run_at"] is None
    assert data["next_runs"] == []
    make_due(schedule_id)
    Schedule.objects.filter(pk=schedule_id).update(next_run_at=None)
    assert clock.run_due() == 0


def test_a_due_tick_creates_one_job_as_the_owner(
    api: APIClient, owner: Any, body: dict[str, Any]
) -> None:
    schedule_id = create(api, body, cron="* * * * *").json()["id"]
    tick = make_due(schedule_id)
    assert clock.run_due() == 1
    assert clock.run_due() == 0  # the tick moved on: nothing is due now
    job = Job.objects.get(schedule_id=schedule_id)
    assert job.owner == owner
    assert job.title == "nightly"
    assert job.program == "print('nightly')"
    assert job.status == "queued"
    run = ScheduleRun.objects.get(schedule_id=schedule_id)
    assert (run.scheduled_for, run.outcome, run.job_id) == (tick, "created", job.pk)
    schedule = Schedule.objects.get(pk=schedule_id)
    assert schedule.next_run_at is not None
    assert schedule.next_run_at > timezone.now()
    data = api.get(f"/api/schedules/{schedule_id}/").json()
    assert data["last_job"] == str(job.pk)
    assert data["last_runs"][0]["outcome"] == "created"
    assert data["last_runs"][0]["job_status"] == "queued"


def test_overlap_skip_creates_nothing_while_the_previous_job_runs(
    api: APIClient, body: dict[str, Any]
) -> None:
    schedule_id = create(api, body, cron="* * * * *").json()["id"]
    make_due(schedule_id, ago=120)
    clock.run_due()
    first = Job.objects.get(schedule_id=schedule_id)
    make_due(schedule_id, ago=60)
    clock.run_due()
    assert Job.objects.filter(schedule_id=schedule_id).count() == 1
    assert ScheduleRun.objects.filter(schedule_id=schedule_id).first().outcome == "skipped"  # type: ignore[union-attr]
    Job.objects.filter(pk=first.pk).update(status="succeeded")
    make_due(schedule_id, ago=1)
    clock.run_due()
    assert Job.objects.filter(schedule_id=schedule_id).count() == 2


def test_overlap_allow_creates_a_job_every_tick(api: APIClient, body: dict[str, Any]) -> None:
    schedule_id = create(api, body, cron="* * * * *", overlap="allow").json()["id"]
    for ago in (120, 60):
        make_due(schedule_id, ago=ago)
        clock.run_due()
    assert Job.objects.filter(schedule_id=schedule_id).count() == 2


def test_a_deleted_credential_records_a_failed_run_and_tells_the_owner(
    api: APIClient, owner: Any, body: dict[str, Any]
) -> None:
    with override_settings(DRS_ALLOWED_WEBHOOK_NETWORKS=[ipaddress.ip_network("127.0.0.0/8")]):
        hook, _ = notifications.webhook_create(
            owner=owner, url="http://127.0.0.1:9/", events=["schedule.failed"]
        )
    schedule_id = create(api, body, cron="* * * * *").json()["id"]
    owner.credentials.all().delete()
    tick = make_due(schedule_id)
    assert clock.run_due() == 1
    assert not Job.objects.filter(schedule_id=schedule_id).exists()
    run = ScheduleRun.objects.get(schedule_id=schedule_id)
    assert run.outcome == "failed"
    assert run.scheduled_for == tick
    assert run.error.startswith("credential: ")
    delivery = Delivery.objects.get(webhook=hook)
    assert delivery.event == "schedule.failed"
    assert '"error":"credential: ' in delivery.body
    assert api.get(f"/api/schedules/{schedule_id}/").json()["last_runs"][0]["error"] == run.error


def test_a_tick_already_taken_is_not_run_again(api: APIClient, body: dict[str, Any]) -> None:
    from drs.schedules.services import schedule_run

    schedule = Schedule.objects.get(pk=create(api, body).json()["id"])
    tick = datetime(2030, 1, 1, 2, 0, tzinfo=UTC)
    assert schedule_run(schedule=schedule, scheduled_for=tick) is not None
    assert schedule_run(schedule=schedule, scheduled_for=tick) is None
    assert Job.objects.filter(schedule=schedule).count() == 1


def test_next_runs_follow_dst() -> None:
    # 02:30 does not exist in Paris on 2027-03-28; 01:30 UTC on the 27th, 00:30 UTC after.
    after = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)
    runs = next_runs("30 2 * * *", "Europe/Paris", after, 3)
    assert runs[0] == datetime(2027, 3, 27, 1, 30, tzinfo=UTC)
    assert runs[-1] == datetime(2027, 3, 29, 0, 30, tzinfo=UTC)


def test_an_application_job_body_is_rendered_at_each_run(
    api: APIClient, staff_api: APIClient, owner: Any
) -> None:
    server = factories.server()
    credential = factories.credential(owner, server)
    app = {
        "name": "nightly-fit",
        "title": "Nightly fit",
        "interpreter": server.interpreters.get(name="python3").pk,
        "program": "import sys\nprint(sys.argv)\n",
        "arguments": ["--q-max={q_max}"],
        "parameters": {
            "type": "object",
            "properties": {"q_max": {"type": "number", "minimum": 0, "maximum": 1}},
            "required": ["q_max"],
        },
    }
    assert staff_api.post("/api/applications/", app, format="json").status_code == 201
    job = {"application": "nightly-fit", "server": server.pk, "credential": credential.pk}
    bad = create(api, job | {"parameters": {"q_max": 2}}, cron="* * * * *")
    assert bad.status_code == 400, bad.content
    assert "job" in bad.json()
    resp = create(api, job | {"parameters": {"q_max": 0.2}}, cron="* * * * *")
    assert resp.status_code == 201, resp.content
    make_due(resp.json()["id"])
    assert clock.run_due() == 1
    created = Job.objects.get(schedule_id=resp.json()["id"])
    assert (created.application, created.parameters) == ("nightly-fit", {"q_max": 0.2})
    assert created.arguments == ["--q-max=0.2"]
