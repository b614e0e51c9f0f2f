"""Opening SSH connections: pinned host key only, SSRF guard, timeouts and keepalive."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import asyncssh
from django.conf import settings

from drs.credentials.choices import CredentialKind
from drs.runner.ciphers import ENCRYPTION_ALGS
from drs.servers.hostkeys import fingerprint
from drs.servers.hosts import Secrets
from drs.servers.models import Server
from drs.servers.networks import address_allowed, refusal_message

# A silent peer (link down, host frozen) is declared lost after about 3 intervals; then
# the follower reconnects. DRS_SSH_KEEPALIVE_SECONDS is not in the documented env on
# purpose: tests shorten it through Django settings.
KEEPALIVE_COUNT_MAX = 3


# A connection that went away (or refused a channel): reconnect and retry the step; every
# step after launch is idempotent or resumes from what it stored.
DROPPED = (
    ConnectionError,
    asyncssh.DisconnectError,  # ConnectionLost too
    asyncssh.ChannelOpenError,
    asyncssh.SFTPConnectionLost,
)


def keepalive_interval() -> int:
    return int(getattr(settings, "DRS_SSH_KEEPALIVE_SECONDS", 5))


class ConnectError(Exception):
    """A connection could not be made; the message is for humans and holds no secret."""


class PermanentConnectError(ConnectError):
    """Retrying cannot help until someone changes something: the job fails at once."""


class HostKeyError(PermanentConnectError):
    """The host is not trusted (unpinned) or offered a different key than the pinned one."""


class AuthError(PermanentConnectError):
    """The host refused the credential (a removed key, a changed password)."""


def host_key_algorithms(key: asyncssh.SSHKey) -> list[str]:
    """What to offer for the pinned key: an RSA key signs with SHA-2 on every current
    OpenSSH (which refuses SHA-1 `ssh-rsa`), so offer those first."""
    algorithm = key.get_algorithm()
    if algorithm == "ssh-rsa":
        return ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]
    return [algorithm]


async def resolve_target(host: str, port: int) -> str:
    """The address to connect to, after the SSRF guard (drs.servers.networks). We connect
    to the checked address itself, so a second DNS answer cannot sneak past."""
    if not host:
        raise PermanentConnectError("The server has no hostname.")
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ConnectError(f"Cannot resolve {host}: {exc.strerror or exc}") from None
    refused = ""
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address_allowed(address):
            return address
        refused = address
    raise PermanentConnectError(refusal_message(host, refused))


def pinned_key(server: Server) -> asyncssh.SSHKey:
    if not server.host_key.strip():
        raise HostKeyError(
            f"The host key of {server.name} is not pinned: scan it, compare the fingerprint "
            "and pin it before running jobs."
        )
    try:
        return asyncssh.import_public_key(server.host_key.strip())
    except (asyncssh.KeyImportError, ValueError):
        raise HostKeyError(f"The pinned host key of {server.name} is not valid.") from None


def client_auth_options(username: str, kind: str, secrets: Secrets) -> dict[str, Any]:
    options: dict[str, Any] = {"username": username, "agent_path": None}
    if kind == CredentialKind.KEY:
        try:
            key = asyncssh.import_private_key(secrets.private_key, secrets.passphrase or None)
        except (asyncssh.KeyImportError, ValueError):
            raise AuthError("The credential's private key cannot be read.") from None
        options |= {"client_keys": [key], "password": None}
    else:
        options |= {"client_keys": None, "password": secrets.password}
    return options


async def open_connection(
    server: Server, *, username: str, kind: str, secrets: Secrets
) -> asyncssh.SSHClientConnection:
    """Connect and authenticate; raises ConnectError/HostKeyError with a human message."""
    key = pinned_key(server)
    address = await resolve_target(server.hostname, server.port)
    try:
        return await asyncssh.connect(
            address,
            server.port,
            known_hosts=([key], [], []),
            server_host_key_algs=host_key_algorithms(key),
            connect_timeout=settings.DRS_SSH_CONNECT_TIMEOUT,
            login_timeout=settings.DRS_SSH_CONNECT_TIMEOUT,
            keepalive_interval=keepalive_interval(),
            keepalive_count_max=KEEPALIVE_COUNT_MAX,
            config=None,
            client_host_keys=None,
            encryption_algs=ENCRYPTION_ALGS,
            **client_auth_options(username, kind, secrets),
        )
    except asyncssh.HostKeyNotVerifiable:
        offered = await _offered_fingerprint(address, server.port, host_key_algorithms(key))
        raise HostKeyError(
            f"Host key mismatch for {server.name}: pinned {fingerprint(server.host_key)}, "
            f"offered {offered}. Nothing was run. If the host was re-keyed, scan and pin "
            "the new key."
        ) from None
    except asyncssh.PermissionDenied:
        raise AuthError(
            f"Authentication failed for {username}@{server.hostname}:{server.port}."
        ) from None
    except (OSError, asyncssh.Error) as exc:
        raise ConnectError(describe_error(exc, server)) from None


async def _offered_fingerprint(address: str, port: int, algorithms: list[str]) -> str:
    try:
        key = await asyncio.wait_for(
            asyncssh.get_server_host_key(address, port, server_host_key_algs=algorithms),
            settings.DRS_SSH_CONNECT_TIMEOUT,
        )
    except (OSError, asyncssh.Error, TimeoutError):
        return "(unknown)"
    return key.get_fingerprint("sha256") if key is not None else "(unknown)"


async def scan(server: Server) -> asyncssh.SSHKey:
    address = await resolve_target(server.hostname, server.port)
    try:
        key = await asyncio.wait_for(
            asyncssh.get_server_host_key(address, server.port), settings.DRS_SSH_CONNECT_TIMEOUT
        )
    except (OSError, asyncssh.Error, TimeoutError) as exc:
        raise ConnectError(describe_error(exc, server)) from None
    if key is None:
        raise ConnectError(f"{server.hostname}:{server.port} offered no host key.")
    return key


def describe_error(exc: BaseException, server: Server) -> str:
    target = f"{server.hostname}:{server.port}"
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return f"Timed out connecting to {target}."
    if isinstance(exc, ConnectionRefusedError):
        return f"Connection refused by {target}."
    if isinstance(exc, OSError):
        return f"Cannot connect to {target}: {exc.strerror or exc.__class__.__name__}."
    reason = getattr(exc, "reason", "") or str(exc) or exc.__class__.__name__
    return f"SSH error with {target}: {reason}"
