"""Live metrics: the job's DRS_METRICS file followed as a third stream, its valid lines
stored as points in order, exactly once, whatever the log policy and across a runner
killed mid-job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.dispatch import dispatch
from drs.jobs.models import Job, MetricPoint
from tests.fixtures.sshd import Sshd
from tests.fixtures.workers import Workers
from tests.runner.conftest import run
from tests.runner.test_workers import release, wait_for, worker_pid

pytestmark = pytest.mark.django_db(transaction=True)

# Ten points and one invalid line (the fourth), each flushed on its own, then a blank
# line and a point without its newline (the job ended: it counts).
TEN_POINTS = """\
import json, os, time
path = os.environ["DRS_METRICS"]
assert os.path.isabs(path), path
with open(path, "a") as f:
    for i in range(1, 10):
        if i == 4:
            f.write("not json\\n")
        f.write(json.dumps({"step": i, "chi2": 10.0 / i, "progress": i / 10}) + "\\n")
        f.flush()
        time.sleep(0.02)
    f.write("\\n")
    f.write(json.dumps({"step": 10, "chi2": 1.0, "progress": 1.0}))
print("done")
"""


def expected_values() -> list[dict[str, float]]:
    return [{"step": i, "chi2": 10.0 / i, "progress": i / 10} for i in range(1, 11)]


@pytest.mark.parametrize("log_policy", ["live", "none", "total"])
def test_points_are_stored_in_order_whatever_the_log_policy(
    make_job: Callable[..., Job], owner: Any, log_policy: str
) -> None:
    job = run(make_job(TEN_POINTS, log_policy=log_policy))
    assert job.status == "succeeded", job.error
    points = list(MetricPoint.objects.filter(job=job).order_by("n"))
    assert [p.n for p in points] == list(range(1, 11))
    assert [p.values for p in points] == expected_values()
    assert job.metric_count == 10
    assert job.metrics_invalid == 1
    assert job.progress == 1.0
    assert job.metrics_last == {"step": 10, "chi2": 1.0, "progress": 1.0}
    assert job.metrics_note == ""

    client = APIClient()
    client.force_authenticate(owner)
    page = client.get(f"/api/jobs/{job.pk}/metrics/").json()
    assert [p["n"] for p in page["results"]] == list(range(1, 11))
    assert [p["values"] for p in page["results"]] == expected_values()
    assert page["next_after"] == 10
    assert page["complete"] is True
    assert page["invalid"] == 1
    rest = client.get(f"/api/jobs/{job.pk}/metrics/?after=7&limit=2").json()
    assert [p["n"] for p in rest["results"]] == [8, 9]
    assert rest["complete"] is False
    detail = client.get(f"/api/jobs/{job.pk}/").json()
    assert detail["progress"] == 1.0
    assert detail["metrics_last"] == {"step": 10, "chi2": 1.0, "progress": 1.0}
    listed = client.get("/api/jobs/").json()["results"]
    row = next(r for r in listed if r["id"] == str(job.pk))
    assert row["progress"] == 1.0
    assert row["metrics_last"] == detail["metrics_last"]


@pytest.mark.parametrize("log_policy", ["live", "none"])
def test_sftp_polling_follows_the_metrics_file_too(
    make_job: Callable[..., Job], settings: Any, log_policy: str
) -> None:
    """Hosts without python3 are followed by SFTP polling: the same points."""
    settings.DRS_FOLLOW_TRANSPORT = "sftp"
    job = run(make_job(TEN_POINTS, log_policy=log_policy))
    assert job.status == "succeeded", job.error
    points = MetricPoint.objects.filter(job=job).order_by("n")
    assert [p.values for p in points] == expected_values()
    assert (job.metric_count, job.metrics_invalid, job.progress) == (10, 1, 1.0)
    assert job.last_seq == (1 if log_policy == "live" else 0)


def test_the_point_bound_refuses_more_and_says_so(
    make_job: Callable[..., Job], settings: Any
) -> None:
    settings.DRS_MAX_METRIC_POINTS = 5
    job = run(make_job(TEN_POINTS))
    assert job.status == "succeeded", job.error
    assert list(MetricPoint.objects.filter(job=job).values_list("n", flat=True)) == [1, 2, 3, 4, 5]
    assert job.metric_count == 5
    assert "DRS_MAX_METRIC_POINTS" in job.metrics_note
    assert job.progress == 1.0  # progress still follows the job


def test_bad_metrics_query_is_a_400_naming_the_field(
    make_job: Callable[..., Job], owner: Any, django_user_model: Any
) -> None:
    job = make_job("print(1)\n")
    client = APIClient()
    client.force_authenticate(owner)
    response = client.get(f"/api/jobs/{job.pk}/metrics/?after=-1")
    assert response.status_code == 400
    assert "after" in response.json()
    other = django_user_model.objects.create_user("metrics-other", password="x")
    client.force_authenticate(other)
    assert client.get(f"/api/jobs/{job.pk}/metrics/").status_code == 404


POINTS = 2000
HALF = POINTS // 2
# Writes the first half of its points, waits for `release`, then writes the rest: the
# test kills the runner between the two.
SLOW_POINTS = (
    "import json, os, time\n"
    "f = open(os.environ['DRS_METRICS'], 'a')\n"
    f"for i in range(1, {POINTS + 1}):\n"
    "    f.write(json.dumps({'step': i, 'progress': i / %d}) + '\\n')\n"
    % POINTS
    + "    if i % 100 == 0:\n"
    "        f.flush()\n"
    f"    if i == {HALF}:\n"
    "        while not os.path.exists('release'):\n"
    "            time.sleep(0.05)\n"
    "f.close()\n"
)


def test_runner_sigkilled_mid_job_loses_and_repeats_no_point(
    make_job: Callable[..., Job], start_workers: Callable[..., Workers], sshd: Sshd
) -> None:
    workers = start_workers(workers=1, lease_seconds=3)
    job = make_job(SLOW_POINTS, log_policy="none")
    dispatch([job.pk])
    wait_for(lambda: Job.objects.get(pk=job.pk).metric_count >= HALF, "the first half")
    workers.kill(worker_pid(job))
    job.refresh_from_db()
    assert job.status == "running"
    release(sshd, job)
    wait_for(lambda: Job.objects.get(pk=job.pk).is_terminal, "the job to end", timeout=120)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    steps = [
        p["step"]
        for p in MetricPoint.objects.filter(job=job).order_by("n").values_list("values", flat=True)
    ]
    assert steps == list(range(1, POINTS + 1))
    assert (
        list(MetricPoint.objects.filter(job=job).order_by("n").values_list("n", flat=True)) == steps
    )
    assert job.progress == 1.0
    assert job.metrics_invalid == 0
