"""The one port through which code below the runner acts on a host.

The REST API and the apps under the runner (servers, credentials, jobs) need a few
synchronous actions on a server: read the host key it offers, check a login, install or
remove a public key, remove a job directory. The SSH code that does them lives in
`drs.runner`, which sits above those apps and may import them, never the other way
round. So the actions are declared here, as `HostActions`, in terms of this app's models
and plain values, and `drs.runner` registers its implementation (`drs.runner.services`)
when Django starts (`RunnerConfig.ready`). Callers ask `actions()` for it.

Jobs reach the runners differently: by id, on the dispatch queue (drs/jobs/dispatch.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from drs.servers.models import Server


@dataclass(frozen=True, repr=False)
class Secrets:
    private_key: str = ""
    passphrase: str = ""
    password: str = ""

    def __repr__(self) -> str:  # never leak into logs or tracebacks
        return "Secrets(***)"


@dataclass(frozen=True)
class Login:
    """Who a host action logs in as: a credential's user name, kind (a CredentialKind
    value) and secrets (`Credential.login()`)."""

    username: str
    kind: str
    secrets: Secrets


@dataclass(frozen=True)
class HostKey:
    key: str
    fingerprint: str


@dataclass
class InterpreterStatus:
    id: int
    name: str
    ok: bool
    detail: str


@dataclass
class CheckResult:
    ok: bool
    latency_ms: float | None
    error: str
    interpreters: list[InterpreterStatus] = field(default_factory=list)


class HostActions(Protocol):
    """Each action raises `DomainError` (drs.common.exceptions) saying what failed."""

    def scan_host_key(self, server: Server) -> HostKey:
        """The key the host offers now. Pins nothing: the caller compares and PATCHes."""
        ...

    def check_connection(self, server: Server, login: Login) -> CheckResult:
        """Log in with the pinned host key, run `true`, check each interpreter starts."""
        ...

    def install_public_key(
        self, server: Server, username: str, password: str, public_key: str
    ) -> None:
        """Append the key to the user's authorized_keys, logging in once with the password."""
        ...

    def remove_public_key(self, server: Server, login: Login, public_key: str) -> None:
        """Remove the key from the user's authorized_keys, logging in with `login`."""
        ...

    def remove_job_directory(
        self, server: Server, login: Login | None, directory: str, job_id: object
    ) -> None:
        """Delete a job's directory on its host; None: the job's credential is gone."""
        ...


_actions: HostActions | None = None


def register(implementation: HostActions) -> None:
    global _actions
    _actions = implementation


def actions() -> HostActions:
    if _actions is None:
        raise RuntimeError("No host actions registered: is drs.runner in INSTALLED_APPS?")
    return _actions
