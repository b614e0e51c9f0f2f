"""Two real notifier processes (two worker nodes' schedule clocks) on one database: a
`* * * * *` schedule gets its job within the next minute, and one job per tick."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count
from rest_framework.test import APIClient

from drs.jobs.models import Job
from drs.schedules.models import Schedule, ScheduleRun
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def notifier(log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DRS_TEST_SUBPROCESS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "backend")]),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "backend" / "manage.py"), "notifier"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_two_clocks_create_one_job_per_tick(api: APIClient, owner: Any, tmp_path: Path) -> None:
    server = factories.server()
    body = {
        "server": server.pk,
        "credential": factories.credential(owner, server).pk,
        "interpreter": server.interpreters.first().pk,  # type: ignore[union-attr]
        "program": "print('tick')",
    }
    ids = []
    for n in range(8):
        resp = api.post(
            "/api/schedules/",
            {"name": f"every minute {n}", "cron": "* * * * *", "job": body, "overlap": "allow"},
            format="json",
        )
        assert resp.status_code == 201, resp.content
        ids.append(resp.json()["id"])
    first_tick = Schedule.objects.get(pk=ids[0]).next_run_at
    procs = [notifier(tmp_path / f"notifier-{i}.log") for i in range(2)]
    try:
        deadline = time.monotonic() + 150  # the tick is at most a minute away; two Djangos start
        while ScheduleRun.objects.filter(scheduled_for=first_tick).count() < len(ids):
            assert all(p.poll() is None for p in procs), "a notifier exited"
            assert time.monotonic() < deadline, "no job within the minute"
            time.sleep(0.5)
        time.sleep(3)  # a second clock's duplicate would have landed by now
        assert all(p.poll() is None for p in procs)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(15)
    logs = [(tmp_path / f"notifier-{i}.log").read_text() for i in range(2)]
    assert all("ready" in log for log in logs), logs
    runs = ScheduleRun.objects.filter(schedule_id__in=ids)
    assert runs.filter(scheduled_for=first_tick).count() == len(ids)
    assert set(runs.values_list("outcome", flat=True)) == {"created"}
    per_tick = runs.values("schedule_id", "scheduled_for").annotate(n=Count("id"))
    assert {row["n"] for row in per_tick} == {1}
    jobs = Job.objects.filter(schedule_id__in=ids)
    assert jobs.count() == runs.count()
    assert {job.owner_id for job in jobs} == {owner.pk}
    for schedule_id in ids:
        made = Job.objects.filter(schedule_id=schedule_id, created_at__gte=first_tick)
        assert made.count() == runs.filter(schedule_id=schedule_id).count()
