"""`GET /api/health/`: no auth, no secrets, 200 only when every part works, 503 naming
the part that failed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import AsyncClient

from tests.fixtures.daphne import free_port

pytestmark = pytest.mark.django_db(transaction=True)

PARTS = {"database", "channel_layer", "broker"}


async def get(path: str) -> tuple[int, dict[str, Any]]:
    response = await AsyncClient().get(path)
    return response.status_code, json.loads(response.content)


async def test_health_needs_no_auth_and_shows_no_secrets() -> None:
    status, body = await get("/api/health/?checks=database,channel_layer,broker")
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == PARTS
    assert all(check["ok"] for check in body["checks"].values())
    text = json.dumps(body)
    for secret in (settings.SECRET_KEY, settings.CHANNEL_REDIS_URL, *settings.DRS_CREDENTIALS_KEYS):
        assert secret not in text


async def test_without_runners_the_workers_part_fails() -> None:
    status, body = await get("/api/health/")
    assert status == 503
    assert body["status"] == "fail"
    assert body["failed"] == ["workers"]
    assert body["checks"]["workers"]["heartbeat_age"] is None
    assert body["checks"]["database"]["ok"]


async def test_unknown_check_is_a_400_naming_it() -> None:
    status, body = await get("/api/health/?checks=database,nope")
    assert status == 400
    assert "'nope'" in body["checks"][0]


async def test_channel_layer_down_is_503_naming_it(settings: Any) -> None:
    # A Redis that is not there (nothing listens on this port): the check fails in time.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "drs.realtime.layer.PubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},
        }
    }
    status, body = await get("/api/health/?checks=database,channel_layer")
    assert status == 503
    assert body["failed"] == ["channel_layer"]
    assert body["checks"]["channel_layer"]["error"]
    assert "127.0.0.1" not in json.dumps(body)


def _heartbeat(hostname: str, age: float) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from drs.runner.models import RunnerHeartbeat

    seen = timezone.now() - timedelta(seconds=age)
    RunnerHeartbeat.objects.update_or_create(
        owner=f"{hostname}:1:test",
        defaults={"hostname": hostname, "pid": 1, "started_at": seen, "seen_at": seen},
    )


def test_node_is_stalled_only_when_its_runners_are_silent_while_jobs_wait(
    owner: Any, tmp_path: Any, capsys: Any
) -> None:
    import socket

    from django.core.management import call_command

    from tests import factories

    def run(*extra: str) -> int:
        try:
            call_command("health", "--checks", "node", *extra)
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    here = socket.gethostname()
    _heartbeat("another-node", 1)  # a live runner elsewhere says nothing about this node
    assert run() == 0  # no job waits: nothing to be stalled for
    factories.job(owner)
    assert run() == 3
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert report["checks"]["node"]["stalled"] is True
    _heartbeat(here, 1)
    assert run() == 0
    _heartbeat(here, settings.DRS_HEALTH_HEARTBEAT_MAX_AGE + 5)
    assert run() == 3

    # --confirm-stall: the first sighting is only noted; a recovery forgets it.
    marker = tmp_path / "stalled-since"
    assert run("--confirm-stall", str(marker)) == 1
    assert marker.exists()
    marker.write_text("0")  # first seen long ago
    assert run("--confirm-stall", str(marker)) == 3
    assert not marker.exists()
    assert run("--confirm-stall", str(marker)) == 1
    _heartbeat(here, 1)
    assert run("--confirm-stall", str(marker)) == 0
    assert not marker.exists()
