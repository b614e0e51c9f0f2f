"""Request bodies (issue 32, D3/D4/D9): over their view's limit → 413 JSON before they are
read, however they are sent; deeply nested JSON → 400; the program limit is measured on
the decoded program, not on its escaped JSON."""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlencode

import psutil
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests import factories
from tests.api.test_jobs import job_body
from tests.fixtures.daphne import Daphne

NESTED = "[" * 400 + "]" * 400  # ~1 KB: overflowed Python's parser into a 500


@pytest.fixture
def setup(owner: Any) -> dict[str, Any]:
    srv = factories.server()
    cred = factories.credential(owner, srv)
    return {"server": srv, "credential": cred, "interpreter": srv.interpreters.get(name="python3")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("client", "url"),
    [
        ("anon", "/api/auth/token/"),
        ("anon", "/api/auth/login/"),
        ("api", "/api/jobs/"),
        ("staff_api", "/api/servers/"),
        ("api", "/api/credentials/"),
        ("api", "/api/credentials/generate/"),
        ("api", "/api/auth/tokens/"),
    ],
)
def test_deep_json_is_a_400_on_every_json_endpoint(
    client: str, url: str, request: pytest.FixtureRequest
) -> None:
    api: APIClient = request.getfixturevalue({"anon": "anon_api"}.get(client, client))
    for body in (NESTED, '{"a":' * 400 + "1" + "}" * 400):
        resp = api.post(url, body, content_type="application/json")
        assert resp.status_code == 400, (url, resp.content[:300])
        assert "nested deeper" in resp.json()["detail"]


@pytest.mark.django_db
def test_brackets_inside_strings_do_not_count(api: APIClient, setup: dict[str, Any]) -> None:
    program = "print('" + "[" * 5000 + "')\n"
    resp = api.post("/api/jobs/", job_body(setup, program=program), format="json")
    assert resp.status_code == 201, resp.content[:300]


@pytest.mark.django_db
def test_program_limit_is_measured_decoded(api: APIClient, setup: dict[str, Any]) -> None:
    limit = 1024 * 1024
    # ~0.9 MB of program, ~5.4 MB as JSON (each control character escapes to 6 bytes).
    program = "#" + "\x01" * (limit - 100_000)
    body = json.dumps(job_body(setup, program=program))
    assert len(body) > 2.5 * 1024 * 1024
    with override_settings(DRS_MAX_PROGRAM_BYTES=limit):
        resp = api.post("/api/jobs/", body, content_type="application/json")
        assert resp.status_code == 201, resp.content[:300]
        over = json.dumps(job_body(setup, program="#" * (limit + 1)))
        resp = api.post("/api/jobs/", over, content_type="application/json")
        assert resp.status_code == 400
        assert "program" in resp.json()


@pytest.mark.django_db
def test_declared_length_over_the_views_limit_is_413_json(anon_api: APIClient) -> None:
    with override_settings(DRS_MAX_REQUEST_BYTES=4096):
        resp = anon_api.post(
            "/api/auth/token/",
            json.dumps({"username": "x" * 5000}),
            content_type="application/json",
        )
    assert resp.status_code == 413
    assert "4096 bytes" in resp.json()["detail"]


@pytest.mark.django_db
def test_form_encoded_job_is_refused_not_stripped(api: APIClient, setup: dict[str, Any]) -> None:
    form = urlencode(job_body(setup, environment="OMP_NUM_THREADS=4"), doseq=True)
    resp = api.post("/api/jobs/", form, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 415, resp.content[:300]


# --- a real daphne: nothing of an oversized body is buffered ------------------------------


def raw_request(port: int, head: bytes, body_chunks: Any = ()) -> tuple[int, bytes]:
    """Send `head`, then as much of the body as the server takes; the status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused mid-body: the answer was sent before the close
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def rss(server: Daphne) -> int:
    assert server.proc is not None
    return int(psutil.Process(server.proc.pid).memory_info().rss)


@pytest.mark.django_db(transaction=True)
def test_daphne_refuses_200_mb_anonymous_bodies_without_buffering(django_db_setup: Any) -> None:
    size = 200 * 1024 * 1024
    with Daphne() as server:
        # Warm up the process (imports, URL resolver) before measuring.
        status, _ = raw_request(
            server.port,
            b"GET /api/health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )
        before = rss(server)
        head = (
            b"POST /api/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % size
        )
        status, body = raw_request(server.port, head, (b"[" * 1024 * 1024 for _ in range(200)))
        assert status == 413
        assert "limit" in json.loads(body)["detail"]

        # Chunked: no length to check, so it is cut off once past the limit.
        head = (
            b"POST /api/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"%x\r\n%s\r\n" % (1024 * 1024, b" " * 1024 * 1024)
        status, body = raw_request(server.port, head, (piece for _ in range(200)))
        assert status == 413
        assert "limit" in json.loads(body)["detail"]

        grown = rss(server) - before
        assert grown < 30 * 1024 * 1024, f"daphne grew by {grown / 2**20:.0f} MiB"
        # And it still serves.
        status, _ = raw_request(
            server.port,
            b"GET /api/health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )
        assert status in (200, 503)
