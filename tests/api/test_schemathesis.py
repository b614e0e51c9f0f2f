"""Property-based API testing: schemathesis generates requests from the schema the running
app serves at /api/schema/ and checks every response (in-process WSGI: no socket stalls)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests import factories
from tests.api.test_logs import NASTY, store

# These operations open SSH connections; the runner tests cover them against a real sshd.
SSH_OPERATIONS = [
    "servers_scan_host_key",
    "servers_check",
    "credentials_generate",
    "credentials_destroy",
]
MAX_EXAMPLES = int(os.environ.get("DRS_SCHEMATHESIS_EXAMPLES", "60"))

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(
    operation_id=SSH_OPERATIONS
)


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """The WSGI handler closes DB connections after each request, which would end the test's
    transaction; Django's own test client unhooks the same signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None, in_process_requests: None) -> str:
    """A staff user (every write path is open to them) who owns data the ids can hit."""
    user = factories.user("fuzzer", is_staff=True)
    for owner in (user, factories.user("plain")):
        job = factories.job(owner, factories.server(f"srv-{owner.username}"), status="succeeded")
        store(job, NASTY[:3])
    return factories.token(user)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_errors_and_matches_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
