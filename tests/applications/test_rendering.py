"""Application + parameter values → a plain job body: a pure function, tested as one."""

from __future__ import annotations

import uuid

import pytest

from drs.applications import parameters as params
from drs.applications.models import Application
from drs.applications.rendering import job_body

SCHEMA = {
    "type": "object",
    "properties": {
        "data": {"type": "string", "format": "file", "title": "Data file"},
        "prior": {"type": "string", "format": "file", "x-path": "in/prior.json"},
        "q": {"type": "number", "default": 0.5},
        "flag": {"type": "boolean", "default": True},
    },
    "required": ["data"],
}


def app(**extra: object) -> Application:
    values: dict[str, object] = {
        "name": "fit",
        "title": "Fit",
        "interpreter_id": 3,
        "program": "print(1)\n",
        "arguments": ["{data}", "--prior={prior}", "{q}", "{flag}", "{{q}}"],
        "environment": {"DATA": "{data}"},
        "parameters": SCHEMA,
        "result_patterns": ["*.json"],
        "default_resources": {},
        "timeout_seconds": 60,
        "log_policy": "total",
    } | extra
    return Application(**values)


def test_file_parameters_become_inputs_and_render_as_their_path() -> None:
    data, prior = str(uuid.uuid4()), str(uuid.uuid4())
    values = params.validate(SCHEMA, {"data": data, "prior": prior})
    body = job_body(app(), values, server=1, credential=2, inputs=[{"result": 9, "path": "p"}])
    assert body == {
        "title": "Fit",
        "server": 1,
        "credential": 2,
        "interpreter": 3,
        "program": "print(1)\n",
        "arguments": ["data", "--prior=in/prior.json", "0.5", "true", "{q}"],
        "environment": {"DATA": "data"},
        "timeout_seconds": 60,
        "log_policy": "total",
        "result_patterns": ["*.json"],
        "inputs": [
            {"result": 9, "path": "p"},
            {"file": data, "path": "data"},
            {"file": prior, "path": "in/prior.json"},
        ],
    }


def test_resources_overlay_the_application_defaults() -> None:
    values = params.validate(SCHEMA, {"data": str(uuid.uuid4())})
    body = job_body(
        app(default_resources={"partition": "debug", "ntasks": 2}),
        values,
        server=1,
        credential=2,
        title="mine",
        resources={"ntasks": 4},
    )
    assert body["title"] == "mine"
    assert body["resources"] == {"partition": "debug", "ntasks": 4}


def test_a_file_parameter_takes_a_file_id() -> None:
    with pytest.raises(params.ParameterErrors) as caught:
        params.validate(SCHEMA, {"data": "run1.dat"})
    assert caught.value.errors == {"data": ["Must be the id of an uploaded file."]}


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1, "0.1"), (1e-05, "1e-05"), (3, "3"), (-2.5, "-2.5"), (True, "true"), (False, "false"),
     ("a b", "a b")],
)  # fmt: skip
def test_values_render_as_json_writes_them(value: object, text: str) -> None:
    assert params.render_value(value) == text
