"""The typed interface for a host project's own code: submit, look up, cancel and read
jobs as a given user, with the same checks and effects as the REST API (the API's
serializer validates, `jobs.services` acts, `jobs.selectors` reads).

Import it where models may be imported (views, tasks, `AppConfig.ready`), not in
settings. Refusals raise `rest_framework.exceptions.ValidationError` (its `detail` maps
field names to messages, as the API's 400 does), `drs.common.exceptions.DomainError` and
its subclasses (`Forbidden`, `Conflict`), or `Job.DoesNotExist`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from drs.common.exceptions import Forbidden
from drs.credentials.models import Credential
from drs.credentials.selectors import credential_list
from drs.jobs import selectors, services
from drs.jobs.models import Job
from drs.jobs.serializers import JobCreateSerializer
from drs.servers.models import Interpreter, Server

__all__ = ["Job", "cancel", "get_job", "job_log", "job_log_text", "submit"]


@dataclass(frozen=True)
class _Caller:
    """What the API's serializer reads of a request: who is asking."""

    user: Any


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def submit(
    *,
    owner: Any,
    server: Server | int,
    interpreter: Interpreter | int,
    program: str,
    credential: Credential | int | None = None,
    title: str = "",
    arguments: Sequence[str] = (),
    environment: Mapping[str, str] | None = None,
    timeout_seconds: int | None = None,
    result_patterns: Sequence[str] = (),
    resources: Mapping[str, Any] | None = None,
    inputs: Sequence[Mapping[str, Any]] = (),
    notify_email: bool | None = None,
) -> Job:
    """Submit a job as OWNER, as `POST /api/jobs/` does: it is `queued` at once and the
    runners start it when its server has room. CREDENTIAL defaults to the owner's oldest
    credential for SERVER (credentials are personal: never another user's). INPUTS are
    the API's input items (`{"file": id}` or `{"result": id}`, optional `"path"`)."""
    if credential is None:
        first = credential_list(user=owner).filter(server_id=_pk(server)).order_by("pk").first()
        credential = first.pk if first is not None else None
    data: dict[str, Any] = {
        "title": title,
        "server": _pk(server),
        "credential": _pk(credential),
        "interpreter": _pk(interpreter),
        "program": program,
        "arguments": list(arguments),
        "environment": dict(environment or {}),
        "timeout_seconds": timeout_seconds,
        "result_patterns": list(result_patterns),
        "resources": dict(resources or {}),
        "inputs": [dict(item) for item in inputs],
        "notify_email": notify_email,
    }
    body = JobCreateSerializer(data=data, context={"request": _Caller(owner)})
    body.is_valid(raise_exception=True)
    return services.job_create(owner=owner, **body.validated_data)


def get_job(job_id: uuid.UUID | str, *, user: Any) -> Job:
    """The job, if USER may see it (their own; staff: any), else `Job.DoesNotExist`."""
    return selectors.job_list(user=user).get(pk=job_id)


def cancel(job: Job, *, by: Any) -> Job:
    """Cancel as BY (the owner or staff), as `POST /api/jobs/{id}/cancel/` does: a queued
    job ends now, a running one is stopped by its runner. `Conflict` if it already ended."""
    if not selectors.job_list(user=by).filter(pk=job.pk).exists():
        raise Forbidden("You may not cancel this job.")
    return services.job_cancel(job=job)


def job_log(
    job: Job,
    *,
    after: int | None = None,
    tail: int | None = None,
    limit: int = 1000,
    stream: str | None = None,
) -> dict[str, Any]:
    """One page of the job's log, as `GET /api/jobs/{id}/log/` returns it: `results`
    (chunks with `seq`, `stream`, `data`...), `next_after` (pass it as AFTER for the next
    page), `complete` (the job ended and every chunk was read)."""
    return selectors.log_page(job=job, after=after, tail=tail, limit=limit, stream=stream)


def job_log_text(job: Job, *, stream: str | None = None) -> str:
    """The whole log as text (invalid UTF-8 replaced), as `jobs/{id}/log.txt` serves it."""
    return b"".join(selectors.log_bytes(job=job, stream=stream)).decode("utf-8", "replace")
