"""`credentials/generate/` tries an SSH password: throttled per DRS user and per target
account (issue 32, D12), counted in the shared cache, with a clear 429."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def attempt(client: APIClient, server: Any, username: str) -> Any:
    body = {"server": server.pk, "username": username, "password": "guess"}
    return client.post("/api/credentials/generate/", body, format="json")


def test_password_tries_are_throttled_per_target(owner: Any, stranger: Any) -> None:
    # Loopback is refused before any connection: each try is a quick 400, but counted.
    server = factories.server(hostname="127.0.0.1", host_key="")
    owner_api, stranger_api = client_for(owner), client_for(stranger)
    statuses = [attempt(owner_api, server, "root").status_code for _ in range(5)]
    assert 429 not in statuses and all(s < 500 for s in statuses)
    refused = attempt(owner_api, server, "root")
    assert refused.status_code == 429
    assert "Too many password attempts" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # The same account from another DRS user is the same target.
    assert attempt(stranger_api, server, "root").status_code == 429
    # Another account is another target (but the owner's own budget still counts).
    assert attempt(stranger_api, server, "admin").status_code != 429


def test_password_tries_are_throttled_per_user(owner: Any) -> None:
    server = factories.server(hostname="127.0.0.1", host_key="")
    api = client_for(owner)
    statuses = [attempt(api, server, f"user{i}").status_code for i in range(10)]
    assert 429 not in statuses
    assert attempt(api, server, "another").status_code == 429
