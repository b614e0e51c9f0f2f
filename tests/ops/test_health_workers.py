"""The workers part of `/api/health/` against real runner processes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.fixtures.workers import Workers

pytestmark = pytest.mark.django_db(transaction=True)


def test_real_runners_make_workers_healthy(
    start_workers: Callable[..., Workers], client: Any, capsys: Any
) -> None:
    start_workers(workers=1)
    deadline = time.monotonic() + 60
    while True:
        response = client.get("/api/health/")
        if response.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["workers"]["heartbeat_age"] < settings.DRS_HEALTH_HEARTBEAT_MAX_AGE
    # The management command gives the same answer to scripts and container checks.
    call_command("health", "--checks", "database,workers")
    assert json.loads(capsys.readouterr().out)["status"] == "ok"
