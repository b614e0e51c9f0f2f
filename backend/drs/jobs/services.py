from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from drs.common.exceptions import Conflict, DomainError, Forbidden
from drs.jobs import lifecycle
from drs.jobs.choices import TERMINAL_STATUSES, JobStatus
from drs.jobs.events import notify_job_changed
from drs.jobs.inputs import InputSpec
from drs.jobs.models import Job, JobInput
from drs.runner.dispatch import hint_cancel, submit
from drs.servers.choices import ServerKind


def job_create(
    *, owner: Any, rerun_of: Job | None = None, inputs: Sequence[InputSpec] = (), **fields: Any
) -> Job:
    # One INSERT needs no transaction of its own (BEGIN and COMMIT would be two more round
    # trips on the submit path); inside a caller's transaction, on_commit still waits.
    with transaction.atomic() if inputs else contextlib.nullcontext():
        job = Job.objects.create(owner=owner, rerun_of=rerun_of, status=JobStatus.QUEUED, **fields)
        if inputs:
            JobInput.objects.bulk_create(
                JobInput(
                    job=job, path=spec.path, size=spec.size, sha256=spec.sha256,
                    file_id=spec.file_id, result_id=spec.result_id,
                )
                for spec in inputs
            )  # fmt: skip
    # Publish `queued` before the runners hear of the job (on_commit keeps this order), so
    # no watcher sees `starting` first. The new row is exactly `job`: no need to read it back.
    notify_job_changed(job, reload=False)
    submit(job.pk)
    return job


@transaction.atomic
def job_cancel(*, job: Job) -> Job:
    """Queued jobs end here and now; running ones are stopped by their runner, which
    hears the hint published after commit (or finds `cancel_requested_at` on its periodic
    check) and kills the remote process group."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status in TERMINAL_STATUSES:
        raise Conflict(f"The job has already ended ({job.status}).")
    lifecycle.request_cancel(job.pk)
    job.refresh_from_db()
    notify_job_changed(job)
    if job.status not in TERMINAL_STATUSES:
        job_id = job.pk
        transaction.on_commit(lambda: hint_cancel(job_id))
    return job


def job_rerun(*, job: Job, requester: Any) -> Job:
    """A new job with the same inputs, owned by the same user, run with their credential.
    Only the owner may rerun: a credential is never used on anyone else's behalf (staff
    see every job, but a staff rerun would log in as the owner)."""
    if job.owner_id != requester.pk:
        raise Forbidden(
            "Only the job's owner can rerun it: a job's credential is used by its owner"
            " alone. Submit a new job with one of your own credentials instead.",
            field="credential",
        )
    if job.server.kind == ServerKind.LOCAL and not requester.is_staff:
        raise Forbidden("Only staff may run jobs on a local server.", field="server")
    credential = job.credential
    if credential is None:
        raise DomainError(
            "The credential of this job was deleted; submit a new job.", field="credential"
        )
    if not job.server.enabled:
        raise DomainError("This server is disabled.", field="server")
    if not job.server.interpreters.filter(pk=job.interpreter_id).exists():
        raise DomainError(
            "The interpreter is no longer available on this server.", field="interpreter"
        )
    return job_create(
        owner=job.owner,
        rerun_of=job,
        title=job.title,
        server=job.server,
        credential=credential,
        interpreter=job.interpreter,
        program=job.program,
        arguments=job.arguments,
        environment=job.environment,
        timeout_seconds=job.timeout_seconds,
        log_policy=job.log_policy,
        result_patterns=job.result_patterns,
        resources=job.resources,
        inputs=[
            InputSpec(i.path, i.size, i.sha256, file_id=i.file_id, result_id=i.result_id)
            for i in job.inputs.all()
        ],
        application=job.application,
        parameters=job.parameters,
        notify_email=job.notify_email,
    )


@dataclass(frozen=True)
class Deleted:
    remote_directory_removed: bool
    detail: str


def job_delete(*, job: Job) -> Deleted:
    """Remove a finished job: its directory on the host, its log, its result files and
    the job itself. An unreachable host does not keep the data here: the job is deleted
    anyway and the answer says the remote directory stayed (docs/operations.md "Retention")."""
    from drs.runner.services import remove_remote_directory

    if not job.is_terminal:
        raise Conflict(f"The job is still {job.status}: cancel it first, then delete it.")
    if later := JobInput.objects.filter(result__job=job).values_list("job_id", flat=True).first():
        raise Conflict(f"Job {later} uses this job's results as inputs: delete it first.")
    removed, detail = True, "Deleted the job, its log, its result files and its job directory."
    if job.remote_directory:
        try:
            remove_remote_directory(job)
        except DomainError as exc:
            removed = False
            detail = (
                "Deleted the job, its log and its result files; its directory "
                f"{job.remote_directory} on {job.server.name} was not removed: {exc.message}"
            )
    files = [name for name in job.results.values_list("file", flat=True) if name]
    with transaction.atomic():
        # LogChunk and Result rows go with the job (CASCADE, deleted in bulk).
        Job.objects.filter(pk=job.pk).delete()
        transaction.on_commit(lambda: _delete_files(files))
    return Deleted(removed, detail)


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logging.getLogger(__name__).warning("could not delete result file %s", name)
