"""A job whose credential row is gone (deleted by other means than the API, which refuses
while the job is unfinished) ends with an error that says what happened."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drs.jobs.models import Job
from tests.runner.conftest import run

pytestmark = pytest.mark.django_db(transaction=True)


def test_credential_gone_before_start_says_nothing_ran(make_job: Callable[..., Job]) -> None:
    job = run(make_job("print('never')\n", credential=None))
    assert job.status == "failed"
    assert job.error == "The job's credential was deleted; nothing was run."


def test_credential_gone_after_start_does_not_claim_nothing_ran(
    make_job: Callable[..., Job],
) -> None:
    """A runner handover finds a started job without its credential: it cannot follow or
    stop the job any more, and says so instead of "nothing was run"."""
    job = make_job(
        "print('ran')\n", credential=None, status="running", remote_directory=".drs/jobs/x"
    )
    job = run(job)
    assert job.status == "failed"
    assert "deleted after the job was started" in job.error
    assert "may still be running" in job.error
