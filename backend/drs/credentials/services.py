from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncssh
from django.db import transaction

from drs.credentials.choices import CredentialKind
from drs.credentials.models import Credential, Secrets
from drs.servers import hosts
from drs.servers.models import Server

# What keeps a credential from being deleted, each raising Conflict (409) naming why. The
# apps that use credentials register theirs when Django starts (drs.jobs: unfinished jobs).
InUseCheck = Callable[[Credential], None]
_in_use_checks: list[InUseCheck] = []


def register_in_use_check(check: InUseCheck) -> None:
    if check not in _in_use_checks:
        _in_use_checks.append(check)


def refuse_if_in_use(credential: Credential) -> None:
    for check in _in_use_checks:
        check(credential)


@transaction.atomic
def credential_save(*, credential: Credential, data: dict[str, Any]) -> Credential:
    secret_fields = {"private_key", "passphrase", "password"}
    old = credential.get_secrets() if credential.pk else Secrets()
    for field, value in data.items():
        if field not in secret_fields:
            setattr(credential, field, value)
    credential.set_secrets(
        Secrets(**{f: data[f] if f in data else getattr(old, f) for f in secret_fields})
    )
    credential.save()
    return credential


def credential_generate(
    *, owner: Any, server: Server, username: str, password: str, name: str = ""
) -> Credential:
    """A fresh ed25519 key pair, its public half installed with a one-time password."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment=f"drs:{username}@{server.name}")
    public_key = key.export_public_key("openssh").decode().strip()
    hosts.actions().install_public_key(server, username, password, public_key)
    credential = Credential(
        owner=owner, server=server, username=username, name=name or "generated key",
        kind=CredentialKind.KEY, public_key=public_key,
    )  # fmt: skip
    return credential_save(
        credential=credential, data={"private_key": key.export_private_key("openssh").decode()}
    )


def credential_delete(*, credential: Credential, remove_from_server: bool) -> None:
    """Refused (409, naming them) while unfinished jobs use the credential: a running job's
    runner needs it to follow, cancel and collect the job, and without it a remote process
    would be left running with nothing able to stop it."""
    refuse_if_in_use(credential)
    if remove_from_server and credential.public_key:
        # Raises DomainError: the credential is kept.
        hosts.actions().remove_public_key(
            credential.server, credential.login(), credential.public_key
        )
    with transaction.atomic():
        # The row lock makes a job submitted meanwhile wait, then be seen here.
        locked = Credential.objects.select_for_update().filter(pk=credential.pk).first()
        if locked is None:
            return
        refuse_if_in_use(locked)
        locked.delete()
