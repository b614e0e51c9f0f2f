from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_requests_get_401(anon_api: APIClient) -> None:
    for url in ["/api/jobs/", "/api/servers/", "/api/credentials/", "/api/auth/me/"]:
        assert anon_api.get(url).status_code == 401, url


def test_session_login_me_logout(owner: object) -> None:
    client = APIClient(enforce_csrf_checks=True)
    me = client.get("/api/auth/me/")
    assert me.status_code == 401
    csrf = client.cookies["csrftoken"].value
    resp = client.post(
        "/api/auth/login/",
        {"username": "owner", "password": factories.PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["username"] == "owner"
    assert client.get("/api/auth/me/").json() == {
        "id": owner.pk,
        "username": "owner",
        "is_staff": False,
    }  # type: ignore[attr-defined]
    csrf = client.cookies["csrftoken"].value
    assert client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_login_without_csrf_is_refused(owner: object) -> None:
    client = APIClient(enforce_csrf_checks=True)
    resp = client.post(
        "/api/auth/login/", {"username": "owner", "password": factories.PASSWORD}, format="json"
    )
    assert resp.status_code == 403


def test_wrong_password_names_the_field(owner: object) -> None:
    resp = APIClient().post(
        "/api/auth/token/", {"username": "owner", "password": "nope"}, format="json"
    )
    assert resp.status_code == 400
    assert "password" in resp.json()


def test_token_auth(owner: object) -> None:
    client = APIClient()
    resp = client.post(
        "/api/auth/token/", {"username": "owner", "password": factories.PASSWORD}, format="json"
    )
    assert resp.status_code == 201
    token = resp.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/auth/me/").json()["username"] == "owner"
    # Each call makes a new token (tokens are hashed: an old one cannot be shown again).
    again = APIClient().post(
        "/api/auth/token/", {"username": "owner", "password": factories.PASSWORD}, format="json"
    )
    assert again.json()["token"] != token


def test_token_endpoint_missing_fields() -> None:
    resp = APIClient().post("/api/auth/token/", {}, format="json")
    assert resp.status_code == 400
    assert set(resp.json()) == {"username", "password"}
