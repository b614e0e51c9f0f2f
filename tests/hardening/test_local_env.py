"""`local` jobs run as the DRS service user: they must not inherit the worker's
environment (database URL, Redis URL, keys). A real worker tree runs `env` as a job."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job, LogChunk
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PLANTED = "planted-secret-value-0f3a9c"


def test_local_job_gets_a_minimal_environment(
    staff: Any, staff_api: APIClient, start_workers: Callable[..., Any]
) -> None:
    start_workers(
        workers=1,
        extra_env={
            "DRS_ENABLE_LOCAL": "1",
            "AWS_SECRET_ACCESS_KEY": PLANTED,
            "DRS_SOMETHING_PRIVATE": PLANTED,
        },
    )
    local = factories.server("worker-host", kind="local", hostname="localhost")
    credential = factories.credential(staff, local)
    body = {
        "server": local.pk,
        "credential": credential.pk,
        "interpreter": local.interpreters.get(name="sh").pk,
        "program": "env\n",
        "environment": {"MINE": "visible"},
    }
    resp = staff_api.post("/api/jobs/", body, format="json")
    assert resp.status_code == 201, resp.json()
    job_id = resp.json()["id"]
    deadline = time.monotonic() + 60
    while (job := Job.objects.get(pk=job_id)).status not in TERMINAL_STATUSES:
        assert time.monotonic() < deadline, "the local job did not finish"
        time.sleep(0.2)
    assert job.status == "succeeded", job.error
    output = b"".join(
        bytes(d)
        for d in LogChunk.objects.filter(job=job).order_by("seq").values_list("data", flat=True)
    ).decode()
    names = {line.split("=", 1)[0] for line in output.splitlines() if "=" in line}
    print(f"\nlocal job environment: {sorted(names)}")
    assert "MINE=visible" in output.splitlines()
    # DRS_METRICS is the one DRS variable a job is given: where it may report metrics.
    assert not [n for n in names if n.startswith("DRS_") and n != "DRS_METRICS"], names
    assert not names & {
        "DATABASE_URL",
        "REDIS_URL",
        "AWS_SECRET_ACCESS_KEY",
        "DJANGO_SETTINGS_MODULE",
    }
    for secret in [PLANTED, settings.SECRET_KEY, *settings.DRS_CREDENTIALS_KEYS]:
        assert secret not in output
    staff_api.delete(f"/api/jobs/{job_id}/")  # removes its directory in the worker's home
