"""`manage.py demo_setup`: the compose file's demo SSH targets, pinned, not trusted.

Run once by the compose `init` service (and again on every start: it is idempotent). It
shares a keys directory with the demo sshd container (and, with `--slurm-host`, the demo
Slurm cluster's container, whose files start with `slurm_`):

- the sshd's host key is made *here* and written to `<keys>/ssh_host_ed25519_key`; the
  Server row pins its public half, so the key is known before the first connection
  (no trust on first use, no scan);
- the admin's demo credential is an ed25519 key pair made here: its private half is
  stored encrypted like any credential, its public half goes to `<keys>/authorized_keys`,
  which the sshd installs for the demo user.

`--slurm-host slurm` also makes the server `demo-slurm` (scheduler `slurm`): jobs sent
to it go through `sbatch` on that container's one-node cluster (docker/slurm).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import asyncssh
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from drs.credentials.choices import CredentialKind
from drs.credentials.models import Credential, Secrets
from drs.servers.choices import SchedulerKind
from drs.servers.hostkeys import fingerprint
from drs.servers.models import Interpreter, Server

HOST_KEY = "ssh_host_ed25519_key"


def _write(path: Path, text: str, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def host_key_line(keys: Path, prefix: str = "") -> str:
    """A demo host's public key, made on the first run."""
    private = keys / f"{prefix}{HOST_KEY}"
    if not private.exists():
        key = asyncssh.generate_private_key("ssh-ed25519", comment=f"drs-demo-{prefix}sshd")
        _write(private, key.export_private_key("openssh").decode(), 0o600)
        _write(keys / f"{prefix}{HOST_KEY}.pub", key.export_public_key("openssh").decode(), 0o644)
    return (
        asyncssh.import_public_key((keys / f"{prefix}{HOST_KEY}.pub").read_text())
        .export_public_key("openssh")
        .decode()
        .strip()
    )


class Command(BaseCommand):
    help = "Create the demo servers (pinned host keys), interpreters and the admin's credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keys-dir", type=Path, required=True)
        parser.add_argument("--host", default="demo-sshd")
        parser.add_argument("--port", type=int, default=22)
        parser.add_argument("--user", default="demo")
        parser.add_argument("--owner", default=os.environ.get("DRS_ADMIN_USER", "admin"))
        parser.add_argument(
            "--slurm-host",
            default="",
            help="also the demo Slurm cluster's login node (the compose service `slurm`)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        keys: Path = options["keys_dir"]
        keys.mkdir(parents=True, exist_ok=True)
        try:
            owner = get_user_model().objects.get(username=options["owner"])
        except get_user_model().DoesNotExist:
            raise CommandError(
                f"user {options['owner']!r} does not exist: run bootstrap_admin"
            ) from None
        python3, _ = Interpreter.objects.get_or_create(
            name="python3", defaults={"path": "/usr/bin/env", "arguments": ["python3", "-u"]}
        )
        sh, _ = Interpreter.objects.get_or_create(
            name="sh", defaults={"path": "/bin/sh", "arguments": []}
        )
        targets = [("demo", options["host"], "", SchedulerKind.DIRECT)]
        if options["slurm_host"]:
            targets.append(("demo-slurm", options["slurm_host"], "slurm_", SchedulerKind.SLURM))
        for name, host, prefix, scheduler in targets:
            host_key = host_key_line(keys, prefix)
            server, _ = Server.objects.update_or_create(
                name=name,
                defaults={
                    "hostname": host,
                    "port": options["port"],
                    "host_key": host_key,
                    "host_key_fingerprint": fingerprint(host_key),
                    "scheduler": scheduler,
                },
            )
            server.interpreters.add(python3, sh)
            credential = self.credential(owner, server, options["user"])
            _write(keys / f"{prefix}authorized_keys", credential.public_key + "\n", 0o644)
            self.stdout.write(
                f"Demo server {server.name!r} ({host}:{options['port']}, {scheduler}, host key "
                f"{server.host_key_fingerprint} pinned), credential {credential.pk} for "
                f"{owner.get_username()!r} as {options['user']!r}."
            )

    def credential(self, owner: Any, server: Server, username: str) -> Credential:
        credential = Credential.objects.filter(
            owner=owner, server=server, username=username
        ).first()
        if credential is None:
            key = asyncssh.generate_private_key("ssh-ed25519", comment="drs-demo")
            credential = Credential(
                owner=owner,
                server=server,
                name="demo key",
                username=username,
                kind=CredentialKind.KEY,
                public_key=key.export_public_key("openssh").decode().strip(),
            )
            credential.set_secrets(Secrets(private_key=key.export_private_key("openssh").decode()))
            credential.save()
        return credential
