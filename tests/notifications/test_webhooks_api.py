"""/api/webhooks/: owner scoping, the secret shown once, the SSRF guard on save, events."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from drs.credentials import crypto
from drs.notifications.models import Delivery, Webhook

LOOPBACK_ALLOWED = override_settings(
    DRS_ALLOWED_WEBHOOK_NETWORKS=[__import__("ipaddress").ip_network("127.0.0.0/8")]
)


def create(api: APIClient, **body: Any) -> Any:
    data = {"url": "http://127.0.0.1:9/hook", "events": ["job.finished"]} | body
    return api.post("/api/webhooks/", data, format="json")


@LOOPBACK_ALLOWED
def test_create_shows_a_generated_secret_once_and_stores_it_encrypted(api: APIClient) -> None:
    resp = create(api, events=["job.finished", "job.started", "job.finished"])
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["events"] == ["job.finished", "job.started"]
    secret = body["secret"]
    assert len(secret) >= 32
    stored = Webhook.objects.get(pk=body["id"])
    assert secret not in stored.secret_encrypted
    assert crypto.decrypt(stored.secret_encrypted) == secret
    shown = api.get(f"/api/webhooks/{body['id']}/").json()
    assert "secret" not in shown
    assert secret not in api.get("/api/webhooks/").content.decode()


@LOOPBACK_ALLOWED
def test_a_given_secret_is_kept_and_never_echoed(api: APIClient) -> None:
    resp = create(api, secret="my own secret of 24 chars")
    assert resp.json()["secret"] == "my own secret of 24 chars"
    webhook_id = resp.json()["id"]
    resp = api.patch(
        f"/api/webhooks/{webhook_id}/", {"secret": "another secret, long enough"}, format="json"
    )
    assert resp.status_code == 200
    assert "secret" not in resp.json()
    stored = Webhook.objects.get(pk=webhook_id)
    assert crypto.decrypt(stored.secret_encrypted) == "another secret, long enough"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http:///nohost",
        "http://user:pw@example.org/",
        "not a url",
    ],
)
def test_refused_urls_are_a_400_naming_url(api: APIClient, url: str) -> None:
    resp = create(api, url=url)
    assert resp.status_code == 400, resp.content
    assert list(resp.json()) == ["url"], resp.json()
    assert not Webhook.objects.exists()


def test_an_allowed_network_is_accepted(api: APIClient) -> None:
    assert create(api).status_code == 400
    with LOOPBACK_ALLOWED:
        assert create(api).status_code == 201
        assert create(api, url="http://localhost:9/x").status_code == 201


@LOOPBACK_ALLOWED
@pytest.mark.parametrize(
    ("events", "field"),
    [([], "events"), (["job.exploded"], "events"), ("job.finished", "events")],
)
def test_bad_events_are_a_400(api: APIClient, events: Any, field: str) -> None:
    resp = create(api, events=events)
    assert resp.status_code == 400
    assert field in resp.json()


@LOOPBACK_ALLOWED
def test_another_users_webhook_is_404(api: APIClient, stranger_api: APIClient) -> None:
    webhook_id = create(api).json()["id"]
    for call in (
        lambda: stranger_api.get(f"/api/webhooks/{webhook_id}/"),
        lambda: stranger_api.patch(f"/api/webhooks/{webhook_id}/", {"enabled": False}),
        lambda: stranger_api.delete(f"/api/webhooks/{webhook_id}/"),
        lambda: stranger_api.get(f"/api/webhooks/{webhook_id}/deliveries/"),
        lambda: stranger_api.post(f"/api/webhooks/{webhook_id}/test/"),
    ):
        assert call().status_code == 404
    assert stranger_api.get("/api/webhooks/").json()["results"] == []
    assert Webhook.objects.get(pk=webhook_id).enabled


@LOOPBACK_ALLOWED
def test_test_event_creates_a_delivery(api: APIClient) -> None:
    webhook_id = create(api).json()["id"]
    resp = api.post(f"/api/webhooks/{webhook_id}/test/")
    assert resp.status_code == 202
    delivery = Delivery.objects.get(pk=resp.json()["delivery"])
    assert delivery.event == "webhook.test"
    assert delivery.webhook_id == webhook_id
    assert api.get(f"/api/webhooks/{webhook_id}/deliveries/").json()["results"] == []


def test_anonymous_is_401() -> None:
    assert APIClient().get("/api/webhooks/").status_code == 401
    assert APIClient().get("/api/notifications/settings/").status_code == 401


def test_settings_without_email_configured(api: APIClient, owner: Any) -> None:
    body = api.get("/api/notifications/settings/").json()
    assert body == {"email": owner.email, "notify_email_default": False, "email_enabled": False}
    resp = api.patch(
        "/api/notifications/settings/",
        {"email": "owner@example.org", "notify_email_default": True},
        format="json",
    )
    assert resp.status_code == 200
    assert resp.json()["notify_email_default"] is True
    owner.refresh_from_db()
    assert owner.email == "owner@example.org"
    assert api.patch("/api/notifications/settings/", {"email": "nope"}, format="json").json() == {
        "email": ["Enter a valid email address."]
    }
