"""`manage.py demo_setup`: the compose file's demo target is pinned from a key DRS made."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from django.core.management import CommandError, call_command

from drs.credentials.models import Credential
from drs.servers.models import Server
from tests import factories

pytestmark = pytest.mark.django_db


def test_pins_the_host_key_it_made_and_authorizes_the_credential(tmp_path: Path) -> None:
    admin = factories.user("admin", is_staff=True, is_superuser=True)
    call_command("demo_setup", "--keys-dir", str(tmp_path), "--host", "demo-sshd")
    server = Server.objects.get(name="demo")
    private = asyncssh.read_private_key(str(tmp_path / "ssh_host_ed25519_key"))
    assert server.host_key == private.export_public_key("openssh").decode().strip()
    assert server.host_key_fingerprint == private.get_fingerprint("sha256")
    assert (server.hostname, server.port) == ("demo-sshd", 22)
    assert stat.S_IMODE((tmp_path / "ssh_host_ed25519_key").stat().st_mode) == 0o600
    assert set(server.interpreters.values_list("name", flat=True)) == {"python3", "sh"}
    credential = Credential.objects.get(owner=admin, server=server)
    assert credential.username == "demo"
    assert (tmp_path / "authorized_keys").read_text() == credential.public_key + "\n"
    secret = credential.get_secrets().private_key
    assert (
        asyncssh.import_private_key(secret).export_public_key("openssh").decode().strip()
        == credential.public_key.strip()
    )

    # Every start runs it again: same key, same credential, nothing duplicated.
    call_command("demo_setup", "--keys-dir", str(tmp_path), "--host", "demo-sshd")
    assert Server.objects.get(name="demo").host_key == server.host_key
    assert list(Credential.objects.filter(server=server)) == [credential]


def test_needs_the_admin_first(tmp_path: Path, capsys: Any) -> None:
    with pytest.raises(CommandError, match="bootstrap_admin"):
        call_command("demo_setup", "--keys-dir", str(tmp_path))


def test_slurm_host_adds_a_slurm_server_with_its_own_keys(tmp_path: Path) -> None:
    admin = factories.user("admin", is_staff=True, is_superuser=True)
    call_command("demo_setup", "--keys-dir", str(tmp_path), "--slurm-host", "slurm")
    demo, cluster = Server.objects.get(name="demo"), Server.objects.get(name="demo-slurm")
    assert (demo.scheduler, cluster.scheduler) == ("direct", "slurm")
    assert (cluster.hostname, cluster.port) == ("slurm", 22)
    private = asyncssh.read_private_key(str(tmp_path / "slurm_ssh_host_ed25519_key"))
    assert cluster.host_key == private.export_public_key("openssh").decode().strip()
    assert cluster.host_key != demo.host_key
    credential = Credential.objects.get(owner=admin, server=cluster)
    assert credential.username == "demo"
    assert (tmp_path / "slurm_authorized_keys").read_text() == credential.public_key + "\n"
    assert (tmp_path / "authorized_keys").read_text() != credential.public_key + "\n"
    assert set(cluster.interpreters.values_list("name", flat=True)) == {"python3", "sh"}

    call_command("demo_setup", "--keys-dir", str(tmp_path), "--slurm-host", "slurm")
    assert list(Credential.objects.filter(server=cluster)) == [credential]
    assert Server.objects.filter(name__startswith="demo").count() == 2
