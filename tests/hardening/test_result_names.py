"""A result whose name is not UTF-8 cannot be stored: it is named in the job's `error`,
never skipped silently (issue 32, D14). Real workers, real sshd."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job
from drs.runner.results import unreadable_names
from tests.fixtures.sshd import Sshd, key_credential, ssh_server

PROGRAM = "open(b'bad\\xff.txt', 'w').write('x')\nopen('good.txt', 'w').write('y')\n"


def test_unreadable_names_are_escaped() -> None:
    assert unreadable_names(b"5\ta.txt\x001\tbad\xff.txt\x00") == ["bad\\xff.txt"]


@pytest.mark.django_db(transaction=True)
def test_non_utf8_result_name_is_noted(
    api: APIClient, owner: Any, sshd: Sshd, start_workers: Callable[..., Any]
) -> None:
    start_workers(workers=1)
    server = ssh_server(sshd)
    body = {
        "server": server.pk,
        "credential": key_credential(owner, server, sshd).pk,
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
    assert job.status == "succeeded", job.error
    assert [r.path for r in job.results.all()] == ["good.txt"]
    assert "Result bad\\xff.txt skipped: its name is not UTF-8." in job.error
