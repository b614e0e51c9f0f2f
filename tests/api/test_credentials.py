from __future__ import annotations

from typing import Any

import asyncssh
import pytest
from django.db import connection
from rest_framework.test import APIClient

from drs.credentials.models import Credential
from drs.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "canary-pass-7f3a9"
PASSPHRASE = "canary-phrase-41c2"
PRIVATE_KEY = asyncssh.generate_private_key("ssh-ed25519")
KEY_TEXT = PRIVATE_KEY.export_private_key("openssh").decode()
ENCRYPTED_KEY_TEXT = PRIVATE_KEY.export_private_key("openssh", PASSPHRASE).decode()
SECRET_FRAGMENT = KEY_TEXT.splitlines()[2]  # a line of the key's base64 body


def raw_column_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT private_key_encrypted, passphrase_encrypted, password_encrypted, public_key "
            "FROM credentials_credential"
        )
        return "\n".join(str(v) for row in cursor.fetchall() for v in row)


def test_password_credential_is_write_only_and_encrypted(api: APIClient) -> None:
    srv = factories.server()
    resp = api.post(
        "/api/credentials/",
        {"server": srv.pk, "username": "alice", "kind": "password", "password": PASSWORD},
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    assert PASSWORD not in resp.content.decode()
    assert "password" not in resp.json()
    for url in ["/api/credentials/", f"/api/credentials/{resp.json()['id']}/"]:
        assert PASSWORD not in api.get(url).content.decode()
    assert PASSWORD not in raw_column_text()
    assert Credential.objects.get().get_secrets().password == PASSWORD


def test_key_credential_derives_public_key(api: APIClient) -> None:
    srv = factories.server()
    resp = api.post(
        "/api/credentials/",
        {
            "server": srv.pk,
            "username": "alice",
            "kind": "key",
            "private_key": ENCRYPTED_KEY_TEXT,
            "passphrase": PASSPHRASE,
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["public_key"] == PRIVATE_KEY.export_public_key("openssh").decode().strip()
    text = resp.content.decode() + api.get("/api/credentials/").content.decode()
    for secret in (PASSPHRASE, SECRET_FRAGMENT, "PRIVATE KEY"):
        assert secret not in text
        assert secret not in raw_column_text()
    secrets = Credential.objects.get().get_secrets()
    assert secrets.private_key == ENCRYPTED_KEY_TEXT and secrets.passphrase == PASSPHRASE
    assert PASSPHRASE not in repr(secrets)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "key", "private_key": "not a key"}, "private_key"),
        ({"kind": "key"}, "private_key"),
        ({"kind": "key", "private_key": ENCRYPTED_KEY_TEXT, "passphrase": "wrong"}, "passphrase"),
        ({"kind": "password"}, "password"),
        ({"kind": "password", "password": "x", "username": "bad user"}, "username"),
        ({"kind": "password", "password": "x", "username": ""}, "username"),
        ({"kind": "token", "password": "x"}, "kind"),
        ({"kind": "password", "password": "x", "server": 999999}, "server"),
    ],
)
def test_credential_validation(api: APIClient, body: dict[str, Any], field: str) -> None:
    srv = factories.server()
    resp = api.post(
        "/api/credentials/", {"server": srv.pk, "username": "alice"} | body, format="json"
    )
    assert resp.status_code == 400
    assert field in resp.json(), resp.json()


def test_credentials_are_private(
    api: APIClient, stranger_api: APIClient, staff_api: APIClient, owner: Any
) -> None:
    cred = factories.credential(owner, factories.server())
    assert api.get("/api/credentials/").json()["count"] == 1
    for client in (stranger_api, staff_api):
        assert client.get("/api/credentials/").json()["count"] == 0
        assert client.get(f"/api/credentials/{cred.pk}/").status_code == 404
        assert (
            client.patch(
                f"/api/credentials/{cred.pk}/", {"username": "x"}, format="json"
            ).status_code
            == 404
        )
        assert client.delete(f"/api/credentials/{cred.pk}/").status_code == 404
    assert Credential.objects.filter(pk=cred.pk).exists()


def test_update_keeps_secrets_unless_replaced(api: APIClient, owner: Any) -> None:
    cred = factories.credential(owner, factories.server(), password=PASSWORD)
    resp = api.patch(f"/api/credentials/{cred.pk}/", {"name": "renamed"}, format="json")
    assert resp.status_code == 200, resp.json()
    cred.refresh_from_db()
    assert cred.name == "renamed" and cred.get_secrets().password == PASSWORD
    api.patch(f"/api/credentials/{cred.pk}/", {"password": "new-one"}, format="json")
    cred.refresh_from_db()
    assert cred.get_secrets().password == "new-one"


def test_delete_keeps_job_history(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    assert api.delete(f"/api/credentials/{job.credential_id}/").status_code == 204
    job.refresh_from_db()
    assert job.credential_id is None
    assert api.get(f"/api/jobs/{job.pk}/").status_code == 200


@pytest.mark.parametrize("status", ["queued", "starting", "running"])
def test_delete_refused_while_unfinished_jobs_use_it(
    api: APIClient, owner: Any, status: str
) -> None:
    """A running job's runner needs its credential to follow, cancel and collect it: the
    delete is a 409 naming the jobs, and nothing changes (not even on the server)."""
    job = factories.job(owner, status=status)
    other = factories.job(owner, job.server, credential=job.credential, status=status)
    factories.job(owner, job.server, credential=job.credential, status="failed")
    resp = api.delete(f"/api/credentials/{job.credential_id}/?remove_from_server=true")
    assert resp.status_code == 409, resp.content
    detail = resp.json()["detail"]
    assert "2 unfinished jobs use this credential" in detail
    assert str(job.pk) in detail and str(other.pk) in detail
    assert Credential.objects.filter(pk=job.credential_id).exists()
    job.refresh_from_db()
    assert job.credential_id is not None
    Job.objects.filter(credential=job.credential).update(status="cancelled")
    assert api.delete(f"/api/credentials/{job.credential_id}/").status_code == 204


def test_delete_refusal_counts_beyond_the_named(api: APIClient, owner: Any) -> None:
    first = factories.job(owner, status="running")
    for _ in range(11):
        factories.job(owner, first.server, credential=first.credential)
    detail = api.delete(f"/api/credentials/{first.credential_id}/").json()["detail"]
    assert detail.startswith("12 unfinished jobs use this credential: ")
    assert "and 2 more" in detail and str(first.pk) in detail


def test_delete_query_validation(api: APIClient, owner: Any) -> None:
    cred = factories.credential(owner, factories.server())
    resp = api.delete(f"/api/credentials/{cred.pk}/?remove_from_server=maybe")
    assert resp.status_code == 400 and "remove_from_server" in resp.json()


def test_generate_validation(api: APIClient) -> None:
    resp = api.post("/api/credentials/generate/", {"server": 999999}, format="json")
    assert resp.status_code == 400
    assert {"server", "username", "password"} <= set(resp.json())
