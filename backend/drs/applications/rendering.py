"""Application + parameter values → the body of a plain job submission.

A pure transformation: the result goes through the same serializer and the same
`job_create` as a job written by hand, so every rule about jobs (interpreters on the
server, credentials, sizes, environment names, inputs) is checked in one place."""

from __future__ import annotations

from typing import Any

from drs.applications import parameters as params
from drs.applications.models import Application


def job_body(
    app: Application,
    values: dict[str, Any],
    *,
    server: int,
    credential: int | None,
    title: str = "",
    resources: dict[str, Any] | None = None,
    inputs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """`values` are validated (`parameters.validate`). A file parameter's value (a file
    id) becomes an input staged at the parameter's `x-path` or name; its placeholder
    renders as that relative path."""
    properties = app.parameters.get("properties", {})
    texts: dict[str, str] = {}
    file_inputs: list[dict[str, Any]] = []
    for name, value in values.items():
        prop = properties.get(name, {})
        if params.is_file(prop):
            path = prop.get("x-path") or name
            file_inputs.append({"file": value, "path": path})
            texts[name] = path
        else:
            texts[name] = params.render_value(value)
    body: dict[str, Any] = {
        "title": title or app.title,
        "server": server,
        "credential": credential,
        "interpreter": app.interpreter_id,
        "program": app.program,
        "arguments": [params.render(item, texts) for item in app.arguments],
        "environment": {key: params.render(v, texts) for key, v in app.environment.items()},
        "timeout_seconds": app.timeout_seconds,
        "log_policy": app.log_policy,
        "result_patterns": list(app.result_patterns),
    }
    merged_resources = {**app.default_resources, **(resources or {})}
    if merged_resources:
        body["resources"] = merged_resources
    all_inputs = [*(inputs or []), *file_inputs]
    if all_inputs:
        body["inputs"] = all_inputs
    return body
