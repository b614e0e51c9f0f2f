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
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},
        }
    }
    status, body = await get("/api/health/?checks=database,channel_layer")
    assert status == 503
    assert body["failed"] == ["channel_layer"]
    assert body["checks"]["channel_layer"]["error"]
    assert "127.0.0.1" not in json.dumps(body)
