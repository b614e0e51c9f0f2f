from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from rest_framework.exceptions import ValidationError

from drs.applications import parameters as params
from drs.applications.models import Application, Sweep
from drs.applications.rendering import job_body
from drs.applications.selectors import application_list
from drs.applications.serializers import ApplicationJobCreateSerializer, SweepCreateSerializer
from drs.jobs import lifecycle
from drs.jobs.choices import TERMINAL_STATUSES, JobStatus
from drs.jobs.dispatch import dispatch, hint_cancel
from drs.jobs.events import job_event_payload, publish_changes
from drs.jobs.models import Job
from drs.jobs.serializers import JobCreateSerializer
from drs.jobs.services import job_create

# What an application sets itself: a request that also gives one is ambiguous.
APPLICATION_FIELDS = ("interpreter", "program", "arguments", "environment")


def application_job_request(
    data: Mapping[str, Any], *, user: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An application job request → (the plain job body it renders to, the fields the job
    records about its application). Raises ValidationError (400) naming the field."""
    given = [name for name in APPLICATION_FIELDS if name in data]
    if given:
        raise ValidationError(
            {name: ["Set by the application: give its parameters instead."] for name in given}
        )
    request = ApplicationJobCreateSerializer(data=data)
    request.is_valid(raise_exception=True)
    v = request.validated_data
    app = _application(v["application"], user=user, server=v["server"])
    try:
        values = params.validate(app.parameters, v["parameters"])
    except params.ParameterErrors as exc:
        raise ValidationError({"parameters": exc.errors}) from None
    body = job_body(
        app,
        values,
        server=v["server"],
        credential=v["credential"],
        title=v["title"],
        resources=v.get("resources"),
        inputs=v.get("inputs"),
    )
    _refuse_unsupported(body, app)
    return body, {"application": app.name, "parameters": values}


def _application(name: str, *, user: Any, server: int) -> Application:
    app = application_list(user=user).filter(name=name).first()
    if app is None:
        raise ValidationError({"application": [f"No application named {name!r}."]})
    allowed = [s.pk for s in app.servers.all()]
    if allowed and server not in allowed:
        raise ValidationError({"server": [f"The application {app.name} does not run on it."]})
    return app


@functools.cache
def _job_fields() -> frozenset[str]:
    """The job fields this installation takes (building a serializer's fields costs ~1
    ms: a sweep asks once per job)."""
    return frozenset(JobCreateSerializer().fields)


def _refuse_unsupported(body: dict[str, Any], app: Application) -> None:
    """Never drop what a submission asked for: a job field this installation does not
    have (file inputs, batch resources) is a 400, not a silent loss."""
    fields = _job_fields()
    if body.get("inputs") and "inputs" not in fields:
        files = [n for n, p in app.parameters.get("properties", {}).items() if params.is_file(p)]
        raise ValidationError(
            {"parameters": {n: ["File inputs are not available here."] for n in files}}
            if files
            else {"inputs": ["File inputs are not available here."]}
        )
    if body.get("resources") and "resources" not in fields:
        body.pop("resources")  # no scheduler here: a server's defaults would not apply either


def _job_body_fields(body: dict[str, Any], *, context: dict[str, Any]) -> dict[str, Any]:
    job = JobCreateSerializer(data=body, context=context)
    job.is_valid(raise_exception=True)
    return dict(job.validated_data)


def sweep_create(
    *, owner: Any, data: Mapping[str, Any], context: dict[str, Any]
) -> tuple[Sweep, list[Any]]:
    """One job per combination of the `vary` lists over the fixed parameters: every job
    validated first, then all created in one transaction (or none), then one push to the
    runners. Each job is still an ordinary job: dispatched, run and cancelled alone.
    Returns the sweep and its job ids in the order of the combinations."""
    request = SweepCreateSerializer(data=data)
    request.is_valid(raise_exception=True)
    v = request.validated_data
    app = _application(v["application"], user=owner, server=v["server"])
    fixed, vary = v["parameters"], v["vary"]
    if not isinstance(fixed, dict):
        raise ValidationError({"parameters": ["Must be an object of parameter values."]})
    _check_vary(app, fixed, vary)

    names = list(vary)
    combinations = [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*vary.values())
    ]
    rendered: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for combination in combinations:
        try:
            values = params.validate(app.parameters, {**fixed, **combination})
        except params.ParameterErrors as exc:
            raise ValidationError(_split_errors(exc.errors, vary)) from None
        body = job_body(
            app, values, server=v["server"], credential=v["credential"], title=v["title"]
        )
        _refuse_unsupported(body, app)
        rendered.append((body, values))

    serializer = JobCreateSerializer(context=context)
    first = _job_body_fields(rendered[0][0], context=context)
    per_job: list[dict[str, Any]] = []
    for body, _values in rendered:
        if body.get("inputs"):  # inputs are checked against their owner and each other
            per_job.append(_job_body_fields(body, context=context))
        else:  # only argv and the environment differ from the first job's body
            per_job.append(first | _varying_fields(serializer, body))

    with transaction.atomic():
        sweep = Sweep.objects.create(
            owner=owner,
            application=app,
            title=v["title"] or app.title,
            server=first["server"],
            credential=first["credential"],
            parameters=fixed,
            vary=vary,
            count=len(rendered),
        )
        recorded: list[dict[str, Any]] = [
            {"application": app.name, "parameters": values, "sweep": sweep}
            for _body, values in rendered
        ]
        # `inputs` is a related set, not a column: only jobs without inputs go in bulk.
        rows = [{k: v for k, v in f.items() if k != "inputs" or v} for f in per_job]
        columns = {f.name for f in Job._meta.concrete_fields}
        if all(set(fields) <= columns for fields in rows):
            ids = _bulk_create(owner, rows, recorded)
        else:  # a job field beyond the row (inputs): each job through job_create
            ids = [
                job_create(owner=owner, **fields, **extra).pk
                for fields, extra in zip(per_job, recorded, strict=True)
            ]
    return sweep, ids


def _bulk_create(
    owner: Any, per_job: list[dict[str, Any]], recorded: list[dict[str, Any]]
) -> list[Any]:
    jobs = [
        Job(owner=owner, status=JobStatus.QUEUED, **fields, **extra)
        for fields, extra in zip(per_job, recorded, strict=True)
    ]
    Job.objects.bulk_create(jobs, batch_size=500)
    # As job_create does for one job: `queued` is published before the runners hear of
    # the jobs, both after commit; here one channel-layer call and one Redis push for all.
    changes = [(job.pk, owner.pk, job_event_payload(job)) for job in jobs]
    ids = [job.pk for job in jobs]
    transaction.on_commit(lambda: publish_changes(changes))
    transaction.on_commit(lambda: dispatch(ids))
    return ids


def _varying_fields(serializer: JobCreateSerializer, body: dict[str, Any]) -> dict[str, Any]:
    """The fields a parameter can change, through the same fields and validators as a
    job's whole body."""
    validated: dict[str, Any] = {}
    for name in ("arguments", "environment"):
        try:
            value = serializer.fields[name].run_validation(body[name])
            check = getattr(serializer, f"validate_{name}", None)
            validated[name] = check(value) if check else value
        except ValidationError as exc:
            raise ValidationError({name: exc.detail}) from None
    return validated


def _check_vary(app: Application, fixed: dict[str, Any], vary: dict[str, list[Any]]) -> None:
    properties = app.parameters.get("properties", {})
    if not vary:
        raise ValidationError({"vary": ["Name at least one parameter and its values."]})
    errors: dict[str, list[str]] = {}
    for name, values in vary.items():
        prop = properties.get(name)
        if prop is None:
            errors[name] = ["Unknown parameter."]
        elif name in fixed:
            errors[name] = ["Also given in parameters: give it in one place."]
        else:
            errors.update(
                {
                    name: [
                        f"{params.render_value(value)}: {message}"
                        for value in values
                        for message in params.value_errors(prop, value)
                    ]
                }
            )
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationError({"vary": errors})
    count = math.prod(len(values) for values in vary.values())
    cap = settings.DRS_MAX_SWEEP_JOBS
    if count > cap:
        raise ValidationError({"vary": [f"This sweep would make {count} jobs; at most {cap}."]})


def _split_errors(errors: dict[str, list[str]], vary: dict[str, Any]) -> dict[str, Any]:
    split: dict[str, dict[str, list[str]]] = {}
    for name, messages in errors.items():
        split.setdefault("vary" if name in vary else "parameters", {})[name] = messages
    return split


def sweep_cancel(*, sweep: Sweep) -> int:
    """Cancel every job of the sweep that has not ended: queued ones end now, running
    ones are stopped by their runners (told after commit). Returns how many."""
    with transaction.atomic():
        ids = list(
            Job.objects.filter(sweep=sweep)
            .exclude(status__in=TERMINAL_STATUSES)
            .values_list("pk", flat=True)
        )
        lifecycle.request_cancel_many(ids)
        transaction.on_commit(lambda: _after_cancel(ids))
    return len(ids)


def _after_cancel(ids: list[Any]) -> None:
    jobs = list(Job.objects.select_related("owner", "server", "interpreter").filter(pk__in=ids))
    publish_changes([(job.pk, job.owner_id, job_event_payload(job)) for job in jobs])
    for job in jobs:
        if job.status not in TERMINAL_STATUSES:
            hint_cancel(job.pk)
