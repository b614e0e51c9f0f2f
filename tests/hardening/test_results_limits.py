"""Result collection limits, end to end (real workers, real sshd): per file, per job in
total, and the number of files, each named in the job's `error` when it acts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job
from tests.fixtures.sshd import Sshd, key_credential, ssh_server

pytestmark = pytest.mark.django_db(transaction=True)

# Sorted by path, the order results are collected in: a and b fit, big is over the
# per-file limit, c would pass the total, d fits and fills the third slot, e and f are over
# the count.
FILES = {"a.txt": 10, "b.txt": 10, "big.txt": 5000, "c.txt": 30, "d.txt": 5, "e.txt": 5, "f.txt": 5}
PROGRAM = "".join(f"open({name!r}, 'w').write('x' * {size})\n" for name, size in FILES.items())


def run_job(api: APIClient, owner: Any, sshd: Sshd) -> Job:
    server = ssh_server(sshd)
    credential = key_credential(owner, server, sshd)
    body = {
        "server": server.pk,
        "credential": credential.pk,
        "interpreter": server.interpreters.get(name="python3").pk,
        "program": PROGRAM,
        "result_patterns": ["*.txt"],
    }
    resp = api.post("/api/jobs/", body, format="json")
    assert resp.status_code == 201, resp.json()
    deadline = time.monotonic() + 120
    while (job := Job.objects.get(pk=resp.json()["id"])).status not in TERMINAL_STATUSES:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.2)
    return job


def test_result_limits(
    api: APIClient, owner: Any, sshd: Sshd, start_workers: Callable[..., Any]
) -> None:
    start_workers(
        workers=1,
        extra_env={
            "DRS_MAX_RESULT_FILE_BYTES": "1000",
            "DRS_MAX_RESULT_TOTAL_BYTES": "45",
            "DRS_MAX_RESULT_FILES": "3",
        },
    )
    job = run_job(api, owner, sshd)
    assert job.status == "succeeded", job.error
    kept = sorted(r.path for r in job.results.all())
    print(f"\nkept {kept}; error: {job.error}")
    assert kept == ["a.txt", "b.txt", "d.txt"]
    assert "big.txt skipped: larger than 1000 bytes (DRS_MAX_RESULT_FILE_BYTES)" in job.error
    assert "c.txt skipped: the job's results would pass 45 bytes in total" in job.error
    assert "2 more result file(s) matched but were not kept: at most 3 per job" in job.error
    resp = api.get(f"/api/jobs/{job.pk}/results/")
    assert resp["X-Total-Count"] == "3" and [r["path"] for r in resp.json()] == kept
