"""Small builders for test data (plain functions: no factory library needed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from drs.credentials.choices import CredentialKind
from drs.credentials.models import Credential, Secrets
from drs.jobs.models import Job
from drs.servers.models import Interpreter, Server

PASSWORD = "correct horse battery staple"


def user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def interpreter(
    name: str = "python3", path: str = "/usr/bin/env", args: list[str] | None = None
) -> Interpreter:
    return Interpreter.objects.get_or_create(
        name=name,
        defaults={"path": path, "arguments": args if args is not None else ["python3", "-u"]},
    )[0]


def server(name: str = "cluster", **extra: Any) -> Server:
    interp = extra.pop("interpreters", None) or [interpreter(), interpreter("sh", "/bin/sh", [])]
    values: dict[str, Any] = {"hostname": "cluster.example.org", "port": 22} | extra
    srv = Server.objects.create(name=name, **values)
    srv.interpreters.set(interp)
    return srv


def credential(
    owner: Any, srv: Server, *, password: str = "s3cret-pass", **extra: Any
) -> Credential:
    cred = Credential(
        owner=owner,
        server=srv,
        username=extra.pop("username", "alice"),
        kind=extra.pop("kind", CredentialKind.PASSWORD),
        **extra,
    )
    cred.set_secrets(Secrets(password=password))
    cred.save()
    return cred


def job(owner: Any, srv: Server | None = None, **extra: Any) -> Job:
    srv = srv or server()
    values: dict[str, Any] = {
        "title": "fit",
        "program": "print('hi')",
        "interpreter": srv.interpreters.first(),
        "credential": extra.pop("credential", None) or credential(owner, srv),
    } | extra
    return Job.objects.create(owner=owner, server=srv, **values)


def token(owner: Any, name: str = "test") -> str:
    """A new API token's key for `owner`."""
    from drs.tokens.services import token_create

    return token_create(user=owner, name=name)[1]
