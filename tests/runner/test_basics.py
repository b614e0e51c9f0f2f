from __future__ import annotations

from collections.abc import Callable

import pytest

from drs.jobs.models import Job, LogChunk
from tests.runner.conftest import assert_log_consistent, log_bytes, run

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_lines_one_second_apart(make_job: Callable[..., Job]) -> None:
    job = run(
        make_job("import time\nfor i in range(5):\n    print(f'line {i}')\n    time.sleep(1)\n")
    )
    assert job.status == "succeeded", job.error
    assert job.exit_code == 0
    assert log_bytes(job) == b"".join(f"line {i}\n".encode() for i in range(5))
    chunks = list(LogChunk.objects.filter(job=job).order_by("seq"))
    assert len(chunks) >= 2  # streamed live, not stored at the end
    times = [c.time for c in chunks]
    assert times == sorted(times)
    assert times[-1] > times[0]
    assert_log_consistent(job)
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.started_at <= job.finished_at
