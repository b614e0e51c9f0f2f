"""The bound on a job's command is the kernel's own: a job at exactly MAX_ARG_STRLEN starts
on a real host and its program gets the argument whole; one byte more fails at once with
the reason (a job made without the API, which refuses it), instead of "did not start"."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drs.jobs.jobdir import MAX_ARG_STRLEN, job_command
from drs.jobs.models import Job
from tests import factories
from tests.runner.conftest import log_bytes, run

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM = "import sys\nprint(len(sys.argv[1]), set(sys.argv[1]))\n"


def longest_argument() -> int:
    """The length of an `x…` argument whose command takes exactly MAX_ARG_STRLEN bytes."""
    argv = [*factories.interpreter().argv, "./program"]
    base = len(job_command([*argv, "x"], {}).encode()) + 1
    return MAX_ARG_STRLEN - base + 1


def test_command_of_exactly_max_arg_strlen_runs(make_job: Callable[..., Job]) -> None:
    n = longest_argument()
    job = run(make_job(PROGRAM, arguments=["x" * n]))
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == f"{n} {{'x'}}\n".encode()


def test_one_byte_more_fails_at_once_naming_the_limit(make_job: Callable[..., Job]) -> None:
    job = run(make_job(PROGRAM, arguments=["x" * (longest_argument() + 1)]))
    assert job.status == "failed"
    assert "MAX_ARG_STRLEN" in job.error and job.error.endswith("Nothing was run.")
    assert job.started_at is None
