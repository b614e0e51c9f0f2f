"""The host actions of drs.servers.hosts (the port the REST API and the apps below the
runner call through): scan a host key, check a login, install or remove a public key,
remove a job directory. Sync functions (views are sync) around the async runner code;
this module itself is the `HostActions` that RunnerConfig.ready registers."""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath
from typing import TypeVar

import asyncssh
from asgiref.sync import async_to_sync

from drs.common.exceptions import DomainError
from drs.credentials.choices import CredentialKind
from drs.runner.interpreter_check import probe_interpreters, summary
from drs.runner.remote import q, remove_dir_script
from drs.runner.ssh import ConnectError, open_connection, scan
from drs.servers.choices import ServerKind
from drs.servers.hosts import CheckResult, HostKey, Login, Secrets
from drs.servers.models import Server

T = TypeVar("T")


def _run(fn: Callable[[], Awaitable[T]]) -> T:
    async def call() -> T:
        return await fn()

    return async_to_sync(call)()


def _require_ssh(server: Server) -> None:
    if server.kind != ServerKind.SSH:
        raise DomainError("This action needs an SSH server; local servers have no SSH login.")


def scan_host_key(server: Server) -> HostKey:
    """The key the host offers now. Pins nothing: the caller compares and PATCHes."""
    _require_ssh(server)

    async def go() -> HostKey:
        key = await scan(server)
        return HostKey(
            key=key.export_public_key("openssh").decode().strip(),
            fingerprint=key.get_fingerprint("sha256"),
        )

    try:
        return _run(go)
    except ConnectError as exc:
        raise DomainError(str(exc)) from None


def check_connection(server: Server, login: Login) -> CheckResult:
    """Log in with the pinned host key and the credential's login, run `true`, then check
    that each of the server's interpreters starts."""
    if server.kind == ServerKind.LOCAL:
        from django.conf import settings

        if not settings.DRS_ENABLE_LOCAL:
            return CheckResult(False, None, "Local servers are disabled (DRS_ENABLE_LOCAL).")
        return CheckResult(True, 0.0, "")
    interpreters = list(server.interpreters.order_by("name"))

    async def go() -> CheckResult:
        started = time.perf_counter()
        try:
            conn = await open_connection(
                server, username=login.username, kind=login.kind, secrets=login.secrets
            )
        except ConnectError as exc:
            return CheckResult(False, None, str(exc))
        try:
            async with conn:
                result = await conn.run("true", check=False)
                latency = round((time.perf_counter() - started) * 1000, 1)
                if result.exit_status != 0:
                    return CheckResult(False, None, f"`true` exited with {result.exit_status}.")
                statuses = await probe_interpreters(conn, interpreters)
        except (OSError, asyncssh.Error) as exc:
            return CheckResult(False, None, f"Connected, but `true` could not run: {exc}")
        error = summary(statuses)
        return CheckResult(not error, latency, error, statuses)

    return _run(go)


_INSTALL = """\
umask 077
mkdir -p .ssh && chmod 700 .ssh || exit 1
f=.ssh/authorized_keys
touch "$f" && chmod 600 "$f" || exit 1
if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi
grep -qxF {key} "$f" || printf '%s\\n' {key} >> "$f"
"""

# Remove every line holding the key's base64 blob (whatever options or comment it has).
_REMOVE = """\
umask 077
f=.ssh/authorized_keys
[ -f "$f" ] || exit 0
awk -v k={blob} '{{for (i = 1; i <= NF; i++) if ($i == k) next; print}}' "$f" > "$f.drs-tmp" \
  && chmod 600 "$f.drs-tmp" && mv "$f.drs-tmp" "$f"
"""


def _key_blob(public_key: str) -> str:
    parts = public_key.split()
    if len(parts) < 2:
        raise DomainError("Not an OpenSSH public key line.")
    return parts[1]


def install_public_key(server: Server, username: str, password: str, public_key: str) -> None:
    """Append the key to the user's authorized_keys, logging in once with the password
    (used for this call only, never stored)."""
    _require_ssh(server)
    key_line = public_key.strip()
    _key_blob(key_line)
    if "\n" in key_line:
        raise DomainError("Not an OpenSSH public key line.")
    _remote_script(
        server, username, CredentialKind.PASSWORD, Secrets(password=password),
        _INSTALL.format(key=q(key_line)), "install the public key",
    )  # fmt: skip


def remove_public_key(server: Server, login: Login, public_key: str) -> None:
    """Remove a credential's public key from the server (logging in with that credential)."""
    _require_ssh(server)
    _remote_script(
        server, login.username, login.kind, login.secrets,
        _REMOVE.format(blob=q(_key_blob(public_key))), "remove the public key",
    )  # fmt: skip


def _remote_script(
    server: Server, username: str, kind: str, secrets: Secrets, script: str, what: str
) -> None:
    async def go() -> str:
        try:
            conn = await open_connection(server, username=username, kind=kind, secrets=secrets)
        except ConnectError as exc:
            return str(exc)
        try:
            async with conn:
                result = await conn.run(script, check=False)
        except (OSError, asyncssh.Error) as exc:
            return f"Could not {what}: {exc}"
        if result.exit_status != 0:
            return f"Could not {what} (exit status {result.exit_status})."
        return ""

    if error := _run(go):
        raise DomainError(error)


def remove_job_directory(
    server: Server, login: Login | None, directory: str, job_id: object
) -> None:
    """Delete the job's directory on its host (`rm -rf`, logging in with the job's own
    credential, None when it was deleted); DomainError says why it could not be done (host
    unreachable, credential deleted, ...). Only a directory the runner made for this job
    is ever removed: its last component must be the job's id."""
    from django.conf import settings

    directory = directory.rstrip("/")
    if not directory:
        return
    parts = PurePosixPath(directory).parts
    if parts[-1] != str(job_id) or ".." in parts:
        raise DomainError(f"Refusing to remove {directory!r}: not a DRS job directory.")
    if server.kind == ServerKind.LOCAL:
        if not settings.DRS_ENABLE_LOCAL:
            raise DomainError("Local servers are disabled (DRS_ENABLE_LOCAL).")
        # The local runner resolves relative job directories against the worker's home.
        path = Path(directory) if directory.startswith("/") else Path.home() / directory
        try:
            shutil.rmtree(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise DomainError(f"Could not remove the job directory: {exc}") from None
        return
    if login is None:
        raise DomainError(
            "The job's credential was deleted: its directory on the host cannot be removed."
        )
    _remote_script(
        server, login.username, login.kind, login.secrets,
        remove_dir_script(directory), "remove the job directory",
    )  # fmt: skip
