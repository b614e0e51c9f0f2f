"""May this job run here? One rule for every way a job comes to run: a submission
(`JobCreateSerializer`, which applications, sweeps and schedules go through too), a rerun
(`services.job_rerun`), and the runner's last look before it starts a job it took off the
queue (`Runner.start`).

At `SUBMIT` everything is checked. At `START` the runner checks again what decides who
may act on the host and as whom, since a credential can be deleted and an installation
can turn local servers off while a job waits; a server disabled or an interpreter removed
after the job was accepted does not stop it (a disabled server's queue waits instead)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from drs.credentials.models import Credential
from drs.servers.choices import ServerKind
from drs.servers.models import Interpreter, Server


class Stage(enum.Enum):
    SUBMIT = "submit"
    START = "start"


@dataclass(frozen=True)
class Refusal:
    field: str
    message: str
    # The user may not do this (403 where the caller distinguishes), rather than the
    # request being wrong (400).
    forbidden: bool = False


def job_refusal(
    *,
    owner: Any,
    server: Server,
    credential: Credential | None,
    interpreter: Interpreter | None = None,
    stage: Stage = Stage.SUBMIT,
    started: bool = False,
) -> Refusal | None:
    """Why OWNER's job may not run on SERVER with CREDENTIAL (and INTERPRETER), or None.
    `started`: the job already has a directory on its host (START only)."""
    start = stage == Stage.START
    if server.kind == ServerKind.LOCAL:
        # Submissions are taken while local servers are off: the runner refuses to start
        # such a job, and its error says why.
        if start and not settings.DRS_ENABLE_LOCAL:
            return Refusal(
                "server", "Local servers are disabled on this installation (DRS_ENABLE_LOCAL)."
            )
        # A local job runs as the DRS service user on the worker host (docs/security.md).
        if not owner.is_staff:
            return Refusal("server", "Only staff may run jobs on a local server.", forbidden=True)
        if start:
            return None  # a local job logs in nowhere: its credential is not used
    if credential is None:
        if not start:
            return Refusal(
                "credential", "The credential of this job was deleted; submit a new job."
            )
        if started:  # the API refuses this; a row deleted by other means
            return Refusal(
                "credential",
                "The job's credential was deleted after the job was started on the host: "
                "DRS can no longer reach it there to follow, stop or collect it, and its "
                "processes may still be running.",
            )
        return Refusal("credential", "The job's credential was deleted; nothing was run.")
    if credential.owner_id != owner.pk:
        return Refusal(
            "credential",
            "The job's credential belongs to another user; nothing was run."
            if start
            else "This credential belongs to another user.",
        )
    if start:
        return None
    if credential.server_id != server.pk:
        return Refusal("credential", "This credential is for another server.")
    if not server.enabled:
        return Refusal("server", "This server is disabled.")
    if interpreter is not None and not server.interpreters.filter(pk=interpreter.pk).exists():
        return Refusal("interpreter", "Not available on this server.")
    return None
