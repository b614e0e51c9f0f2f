"""The Django admin (issue 32, D6): credentials read-only where the API is, servers
validated by the API's own rules (a form error, never a 500 or a stored mistake)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from drs.credentials.models import Credential
from drs.servers.models import Server
from tests import factories
from tests.api.test_servers import HOST_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(factories.user("root", is_staff=True, is_superuser=True))
    return client


def server_form(**extra: Any) -> dict[str, Any]:
    return {
        "name": "hpc", "kind": "ssh", "hostname": "hpc.example.org", "port": "22",
        "host_key": "", "jobs_directory": "~/.drs/jobs", "max_concurrent_jobs": "10",
        "enabled": "on", "scheduler": "direct", "default_resources": "{}",
    } | extra  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value"),
    [("host_key", "ssh-ed25519 not-base64!!"), ("hostname", "bad host name!!"),
     ("jobs_directory", " ")],
)  # fmt: skip
def test_server_admin_refuses_what_the_api_refuses(
    admin_client: Client, field: str, value: str
) -> None:
    resp = admin_client.post("/admin/servers/server/add/", server_form(**{field: value}))
    assert resp.status_code == 200  # the form again, with its errors
    assert resp.context["adminform"].form.errors.get(field), resp.context["adminform"].form.errors
    assert not Server.objects.exists()


def test_server_admin_pins_a_parsed_host_key(admin_client: Client) -> None:
    resp = admin_client.post(
        "/admin/servers/server/add/", server_form(host_key=f"  {HOST_KEY} comment\n")
    )
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    server = Server.objects.get()
    assert server.host_key == f"{HOST_KEY} comment"
    assert server.host_key_fingerprint.startswith("SHA256:")


def test_credential_admin_cannot_change_the_account(admin_client: Client, owner: Any) -> None:
    server, other = factories.server(), factories.server("other")
    cred = factories.credential(owner, server, username="alice")
    url = f"/admin/credentials/credential/{cred.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="username"' not in page and 'name="server"' not in page
    assert "s3cret-pass" not in page
    resp = admin_client.post(url, {"name": "renamed", "username": "root", "server": other.pk})
    assert resp.status_code == 302
    cred = Credential.objects.get(pk=cred.pk)
    assert (cred.name, cred.username, cred.server_id) == ("renamed", "alice", server.pk)
    assert admin_client.get("/admin/credentials/credential/add/").status_code == 403
