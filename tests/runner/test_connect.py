"""Host keys, the SSRF guard and the SSH services the REST API calls."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from drs.common.exceptions import DomainError
from drs.credentials.services import credential_delete, credential_generate
from drs.jobs.models import Job
from drs.runner.ssh import ConnectError, resolve_target
from drs.servers import hosts
from tests.fixtures.sshd import Sshd, password_credential
from tests.runner.conftest import log_bytes, run

pytestmark = pytest.mark.django_db(transaction=True)


def job_dir(sshd: Sshd, job: Job) -> Path:
    return sshd.key_user.home / ".drs" / "jobs" / str(job.pk)


def test_unpinned_server_is_refused_before_anything_runs(
    make_job: Callable[..., Job], server: Any, sshd: Sshd
) -> None:
    server.host_key = ""
    server.save()
    job = run(make_job("open('/tmp/should-not-exist', 'w')\n"))
    assert job.status == "failed"
    assert "not pinned" in job.error
    assert job.started_at is None
    assert not job_dir(sshd, job).exists()


def test_host_key_mismatch_names_both_fingerprints(
    make_job: Callable[..., Job], server: Any, sshd: Sshd
) -> None:
    other = asyncssh.generate_private_key("ssh-ed25519")
    server.host_key = other.export_public_key("openssh").decode().strip()
    server.save()
    job = run(make_job("print('never')\n"))
    assert job.status == "failed"
    assert other.get_fingerprint("sha256") in job.error  # expected (pinned)
    assert sshd.host_key_fingerprint in job.error  # offered
    assert job.started_at is None
    assert not job_dir(sshd, job).exists()


def test_ssrf_guard_refuses_loopback_unless_allowed(
    make_job: Callable[..., Job], settings: Any, sshd: Sshd
) -> None:
    settings.DRS_ALLOWED_SSH_NETWORKS = []
    with pytest.raises(ConnectError, match="DRS_ALLOWED_SSH_NETWORKS"):
        asyncio.run(resolve_target("127.0.0.1", sshd.port))
    with pytest.raises(ConnectError):
        asyncio.run(resolve_target("localhost", sshd.port))
    job = run(make_job("print('never')\n"))
    assert job.status == "failed"
    assert "DRS_ALLOWED_SSH_NETWORKS" in job.error
    assert not job_dir(sshd, job).exists()


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "::1", "224.0.0.1"])
def test_ssrf_guard_refuses_loopback_and_link_local(settings: Any, address: str) -> None:
    settings.DRS_ALLOWED_SSH_NETWORKS = []
    with pytest.raises(ConnectError, match="restart DRS"):
        asyncio.run(resolve_target(address, 22))


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.1", "172.20.0.1", "fd12::1"])
def test_ssrf_guard_allows_private_ranges(settings: Any, address: str) -> None:
    """Only staff define servers; on-site clusters live on private ranges (networks.py)."""
    settings.DRS_ALLOWED_SSH_NETWORKS = []
    assert asyncio.run(resolve_target(address, 22)) == address


def test_scan_host_key_pins_nothing(server: Any, sshd: Sshd) -> None:
    server.host_key = ""
    server.save()
    found = hosts.actions().scan_host_key(server)
    assert found.key == sshd.host_key
    assert found.fingerprint == sshd.host_key_fingerprint
    assert found.fingerprint.startswith("SHA256:")
    server.refresh_from_db()
    assert server.host_key == ""


def test_scan_host_key_failure_is_a_domain_error(server: Any) -> None:
    from tests.fixtures.sshd import free_port

    server.port = free_port()
    server.save()
    with pytest.raises(DomainError, match="refused"):
        hosts.actions().scan_host_key(server)


def test_check_connection(server: Any, credential: Any, owner: Any, sshd: Sshd) -> None:
    ok = hosts.actions().check_connection(server, credential.login())
    assert ok.ok, ok.error
    assert ok.latency_ms is not None
    assert ok.latency_ms > 0
    bad = password_credential(owner, server, sshd)
    bad.set_secrets(type(bad.get_secrets())(password="wrong-password"))
    bad.save()
    result = hosts.actions().check_connection(server, bad.login())
    assert not result.ok
    assert "Authentication failed" in result.error
    assert "wrong-password" not in result.error


def test_generate_deploy_run_and_remove(
    owner: Any, server: Any, sshd: Sshd, make_job: Callable[..., Job]
) -> None:
    user = sshd.password_user
    cred = credential_generate(
        owner=owner, server=server, username=user.name, password=user.password
    )
    assert cred.kind == "key"
    assert cred.public_key in (user.home / ".ssh" / "authorized_keys").read_text()
    ssh_dir = user.home / ".ssh"
    assert ssh_dir.stat().st_mode & 0o777 == 0o700
    assert (ssh_dir / "authorized_keys").stat().st_mode & 0o777 == 0o600
    # Installing twice does not duplicate the line.
    hosts.actions().install_public_key(server, user.name, user.password, cred.public_key)
    assert (ssh_dir / "authorized_keys").read_text().count(cred.public_key) == 1

    job = run(make_job("import getpass\nprint(getpass.getuser())\n", credential=cred))
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == f"{user.name}\n".encode()

    assert hosts.actions().check_connection(server, cred.login()).ok
    credential_delete(credential=cred, remove_from_server=True)
    assert cred.public_key not in (ssh_dir / "authorized_keys").read_text()
    after = hosts.actions().check_connection(
        server, cred.login()
    )  # the deleted row's key, still in memory
    assert not after.ok
    assert "Authentication failed" in after.error
    with pytest.raises(DomainError):
        hosts.actions().remove_public_key(
            server, cred.login(), cred.public_key
        )  # cannot log in with it any more


def test_install_with_wrong_password_is_a_domain_error(server: Any, sshd: Sshd) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()
    with pytest.raises(DomainError, match="Authentication failed") as info:
        hosts.actions().install_public_key(server, sshd.password_user.name, "nope-nope", key)
    assert "nope-nope" not in str(info.value)


def test_local_server_kind(owner: Any, settings: Any, make_job: Callable[..., Job]) -> None:
    from tests import factories

    local = factories.server("local", kind="local", hostname="")
    job = run(make_job("print('disabled')\n", server=local, credential=None))
    assert job.status == "failed"
    assert "DRS_ENABLE_LOCAL" in job.error

    settings.DRS_ENABLE_LOCAL = True
    job = run(make_job("print('not staff')\n", server=local, credential=None))
    assert job.status == "failed"
    assert "Only staff" in job.error  # checked at submit too; the runner checks again

    owner.is_staff = True
    owner.save()
    job = run(
        make_job("import sys\nprint('local ok')\nsys.exit(4)\n", server=local, credential=None)
    )
    assert job.status == "failed"
    assert job.exit_code == 4
    assert log_bytes(job) == b"local ok\n"
    shutil.rmtree(Path.home() / job.remote_directory)  # the worker's own home: tidy up


def test_local_servers_have_no_host_key_or_ssh_login(owner: Any) -> None:
    from tests import factories

    local = factories.server("local-2", kind="local", hostname="")
    with pytest.raises(DomainError):
        hosts.actions().scan_host_key(local)
    with pytest.raises(DomainError):
        hosts.actions().install_public_key(local, "u", "p", "ssh-ed25519 AAAA")
