""" "Check connection" also runs each of the server's interpreters as a job would run it
(path, arguments, a program file) against the real sshd, and names any that fails."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_check_names_interpreters_that_do_not_start(
    api: APIClient, server: Any, credential: Any
) -> None:
    good = factories.interpreter("python3", "/usr/bin/env", ["python3", "-u"])
    bare_env = factories.interpreter("env-alone", "/usr/bin/env", [])
    missing = factories.interpreter("nosuch", "/usr/bin/env", ["drs-no-such-interpreter"])
    quoted = factories.interpreter("sh with space", "/bin/sh", ["-c", "exit 0", "x y"])
    server.interpreters.set([good, bare_env, missing, quoted])

    body = api.post(f"/api/servers/{server.pk}/check/", {}, format="json").json()

    assert body["ok"] is False
    assert body["latency_ms"] is not None  # the login itself worked
    by_name = {i["name"]: i for i in body["interpreters"]}
    assert by_name["python3"]["ok"] and by_name["python3"]["detail"] == ""
    assert by_name["sh with space"]["ok"], by_name["sh with space"]
    assert not by_name["env-alone"]["ok"]
    assert by_name["env-alone"]["detail"].startswith("cannot run the program file")
    assert not by_name["nosuch"]["ok"]
    assert by_name["nosuch"]["detail"].startswith("not found on the server")
    assert "env-alone" in body["error"] and "nosuch" in body["error"]
    assert "python3 (" not in body["error"]


def test_check_passes_when_every_interpreter_starts(
    api: APIClient, server: Any, credential: Any
) -> None:
    server.interpreters.set([factories.interpreter("sh", "/bin/sh", [])])
    body = api.post(f"/api/servers/{server.pk}/check/", {}, format="json").json()
    assert body["ok"] is True, body
    assert body["error"] == ""
    assert [(i["name"], i["ok"]) for i in body["interpreters"]] == [("sh", True)]


def test_check_of_a_server_without_interpreters(
    api: APIClient, server: Any, credential: Any
) -> None:
    server.interpreters.set([])
    body = api.post(f"/api/servers/{server.pk}/check/", {}, format="json").json()
    assert body["ok"] is True and body["interpreters"] == [], body
