"""Arguments and environment that pass the per-field limits but that no Linux host could
start (over MAX_ARG_STRLEN once quoted into the job's one shell command) are a 400 naming
the field and the limit, not a job that fails "did not start" half a minute later."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(owner: Any) -> dict[str, Any]:
    srv = factories.server()
    return {
        "server": srv.pk,
        "credential": factories.credential(owner, srv).pk,
        "interpreter": srv.interpreters.get(name="python3").pk,
        "program": "print('hi')\n",
    }


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        # One item within its 65,536 characters, but 2 bytes each in UTF-8.
        ({"arguments": ["é" * 65536]}, {"arguments"}),
        ({"environment": {"BIG": "€" * 65536}}, {"environment"}),
        # Each item small, together too much.
        ({"arguments": ["x" * 50000] * 3}, {"arguments"}),
        ({"arguments": ["x" * 60000], "environment": {"A": "y" * 60000, "B": "z" * 20000}},
         {"arguments", "environment"}),
    ],
)  # fmt: skip
def test_command_over_max_arg_strlen_is_refused(
    api: APIClient, body: dict[str, Any], extra: dict[str, Any], fields: set[str]
) -> None:
    resp = api.post("/api/jobs/", body | extra, format="json")
    assert resp.status_code == 400, resp.content
    errors = resp.json()
    assert set(errors) == fields
    for field in fields:
        assert "MAX_ARG_STRLEN" in errors[field][0] and "131,072 bytes" in errors[field][0]
    assert not Job.objects.exists()


def test_command_under_the_limit_is_accepted(api: APIClient, body: dict[str, Any]) -> None:
    resp = api.post(
        "/api/jobs/", body | {"arguments": ["x" * 60000], "environment": {"A": "y" * 60000}},
        format="json",
    )  # fmt: skip
    assert resp.status_code == 201, resp.content
