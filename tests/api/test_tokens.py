"""API tokens (docs/api.md "Tokens"): hashed, expiring, named,
revocable, scoped to their owner, absent from the admin."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from drs.tokens.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db


def token_login(**extra: Any) -> Any:
    body = {"username": "owner", "password": factories.PASSWORD} | extra
    return APIClient().post("/api/auth/token/", body, format="json")


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_is_stored_hashed_never_in_clear(owner: Any) -> None:
    resp = token_login(name="laptop CLI")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    key = body["token"]
    assert body["name"] == "laptop CLI"
    assert key.startswith(body["prefix"]) and len(body["prefix"]) < len(key) // 4
    row = ApiToken.objects.get(pk=body["id"])
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    # Nowhere in the table's raw data.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM drs_tokens_apitoken")
        assert not any(key in str(value) for rec in cursor.fetchall() for value in rec)
    assert ApiToken not in admin.site._registry
    assert not any("authtoken" in model._meta.app_label for model in admin.site._registry)


def test_tokens_expire(owner: Any) -> None:
    with override_settings(DRS_TOKEN_TTL_DAYS=7):
        body = token_login().json()
    expires = timezone.datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=6) < expires - timezone.now() <= timedelta(days=7)
    assert with_token(body["token"]).get("/api/auth/me/").status_code == 200
    ApiToken.objects.filter(pk=body["id"]).update(expires_at=timezone.now())
    resp = with_token(body["token"]).get("/api/auth/me/")
    assert resp.status_code == 401
    short = token_login(expires_in_days=1).json()
    assert timezone.datetime.fromisoformat(short["expires_at"]) - timezone.now() <= timedelta(
        days=1
    )
    for bad in (0, 99999, 1.5, "3", True):
        assert token_login(expires_in_days=bad).status_code == 400, bad


def test_list_create_revoke(owner: Any, stranger: Any) -> None:
    login_key = token_login(name="cli").json()["token"]
    client = with_token(login_key)
    created = client.post("/api/auth/tokens/", {"name": "ci", "expires_in_days": 30}, format="json")
    assert created.status_code == 201, created.content
    ci_key = created.json()["token"]
    listed = client.get("/api/auth/tokens/").json()
    assert [t["name"] for t in listed] == ["ci", "cli"]
    assert set(listed[0]) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at"}
    assert listed[1]["last_used_at"] is not None  # this request used it

    # Another user's token is 404 to them, and stays valid.
    stranger_api = with_token(factories.token(stranger))
    assert stranger_api.delete(f"/api/auth/tokens/{created.json()['id']}/").status_code == 404
    assert stranger_api.get("/api/auth/tokens/").json()[0]["name"] == "test"
    assert with_token(ci_key).get("/api/auth/me/").status_code == 200

    assert client.delete(f"/api/auth/tokens/{created.json()['id']}/").status_code == 204
    assert with_token(ci_key).get("/api/auth/me/").status_code == 401
    assert [t["name"] for t in client.get("/api/auth/tokens/").json()] == ["cli"]
    assert client.post("/api/auth/tokens/", {"name": 12}, format="json").status_code == 400


def test_password_change_and_deactivation_void_tokens(owner: Any) -> None:
    key = token_login().json()["token"]
    owner.set_password("another long password")
    owner.save()
    assert with_token(key).get("/api/auth/me/").status_code == 401
    key = token_login(password="another long password").json()["token"]
    owner.is_active = False
    owner.save()
    assert with_token(key).get("/api/auth/me/").status_code == 401


def test_unauthenticated_cannot_manage_tokens(anon_api: APIClient) -> None:
    assert anon_api.get("/api/auth/tokens/").status_code == 401
    assert anon_api.post("/api/auth/tokens/", {"name": "x"}, format="json").status_code == 401
    assert with_token("drs_nope").get("/api/auth/tokens/").status_code == 401
