"""Cancel is pushed: `job_cancel` publishes a hint after commit and the runner holding the
job stops it at once; a cancel whose hint never arrives is still found by the runner's
periodic check."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from drs.jobs import lifecycle
from drs.jobs.models import Job
from drs.jobs.services import job_cancel
from drs.runner import process
from tests.runner.conftest import log_bytes, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM = "echo started\nsleep 300\n"


def start_quiet_job(
    make_job: Callable[..., Job], run_in_thread: Callable[[Job], threading.Thread]
) -> tuple[Job, threading.Thread]:
    job = make_job(PROGRAM, interpreter="sh")
    thread = run_in_thread(job)
    wait_for(lambda: Job.objects.get(pk=job.pk).last_seq >= 1, "the job's first line", 60)
    return job, thread


def test_cancel_hint_stops_the_job_without_the_periodic_check(
    make_job: Callable[..., Job],
    run_in_thread: Callable[[Job], threading.Thread],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Neither the fallback check nor lease renewal (which reads cancels too) comes round
    # during the test: only the hint can stop the job.
    monkeypatch.setattr(process, "CHECK_SECONDS", 3600.0)
    settings.DRS_LEASE_SECONDS = 3600
    job, thread = start_quiet_job(make_job, run_in_thread)
    job_cancel(job=Job.objects.get(pk=job.pk))
    thread.join(60)
    assert not thread.is_alive(), "the cancel hint was not acted on"
    job.refresh_from_db()
    assert job.status == "cancelled", job.error
    assert log_bytes(job) == b"started\n"


def test_cancel_without_hint_is_found_by_the_periodic_check(
    make_job: Callable[..., Job],
    run_in_thread: Callable[[Job], threading.Thread],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(process, "CHECK_SECONDS", 1.0)
    job, thread = start_quiet_job(make_job, run_in_thread)
    lifecycle.request_cancel(job.pk)  # the database write alone: the hint is "lost"
    thread.join(60)
    assert not thread.is_alive(), "the periodic check missed the cancel"
    job.refresh_from_db()
    assert job.status == "cancelled", job.error
    assert log_bytes(job) == b"started\n"
