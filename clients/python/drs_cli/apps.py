"""`drs apps`, `drs run APP`, `drs sweep APP`: applications from a terminal.

`-p NAME=VALUE` is typed by the application's own schema (so `-p steps=3` sends the
integer 3 and `-p label=3` the string "3"); the server validates the values as it does
for the web form and answers with the parameter's name when one is wrong."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from drs_cli.api import call, list_all, status_error, transport_error
from drs_cli.errors import DrsError
from drs_client import AuthenticatedClient
from drs_client.api.applications import applications_list, applications_retrieve
from drs_client.api.credentials import credentials_list
from drs_client.api.jobs import jobs_create
from drs_client.api.servers import servers_list
from drs_client.api.sweeps import sweeps_create
from drs_client.models import (
    ApplicationJobCreateRequest,
    SweepCreateRequest,
    SweepCreateRequestVary,
)

KINDS = {"integer": "an integer", "number": "a number", "boolean": "true or false"}
TRUE = {"true", "yes", "1", "on"}
FALSE = {"false", "no", "0", "off"}


def typed(app: Any, name: str, text: str) -> Any:
    """TEXT as the parameter NAME's type says; unknown names stay text (the server then
    names them)."""
    prop = _properties(app).get(name, {})
    kind = prop.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            value = json.loads(text)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError
            return value
    except ValueError:
        raise DrsError(f"-p {name}={text}: {name} takes {KINDS[kind]}") from None
    if kind == "boolean":
        if text.lower() in TRUE | FALSE:
            return text.lower() in TRUE
        raise DrsError(f"-p {name}={text}: {name} takes {KINDS[kind]}")
    return text


def _properties(app: Any) -> dict[str, Any]:
    schema = app.parameters if isinstance(app.parameters, dict) else {}
    properties = schema.get("properties", {})
    return properties if isinstance(properties, dict) else {}


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise DrsError(f"bad {flag} {item!r}: expected NAME=VALUE")
        pairs.append((name, value))
    return pairs


def parameters(app: Any, args: argparse.Namespace, client: AuthenticatedClient) -> dict[str, Any]:
    values = {name: typed(app, name, text) for name, text in _pairs(args.param, "-p")}
    for name, path in _pairs(args.input, "--input"):
        values[name] = upload(client, Path(path))
    return values


def upload(client: AuthenticatedClient, path: Path) -> str:
    """Send a file to the server's Files API; its id is the file parameter's value."""
    base = str(client._base_url)  # the generated client keeps it private
    try:
        with path.open("rb") as handle:
            response = client.get_httpx_client().post(
                "/api/files/", files={"file": (path.name, handle)}, timeout=None
            )
    except OSError as exc:
        raise DrsError(f"cannot read {path}: {exc.strerror}") from None
    except httpx.HTTPError as exc:
        raise transport_error(base, exc) from exc
    if response.status_code != 201:
        raise status_error(f"upload of {path}", response, base)
    return str(response.json()["id"])


def target(
    args: argparse.Namespace, client: AuthenticatedClient, app: Any, by_name: Callable[..., Any]
) -> tuple[Any, Any]:
    """The server (by --server, or the application's only one) and your credential there."""
    servers = list_all("servers", servers_list.sync_detailed, client)
    allowed = [s for s in servers if not app.servers or s.id in app.servers]
    if args.server:
        server = by_name("server", allowed, args.server, lambda s: s.name)
    elif len(allowed) == 1:
        server = allowed[0]
    else:
        names = ", ".join(s.name for s in allowed) or "none"
        raise DrsError(f"{app.name} runs on several servers ({names}): pick one with --server")
    credentials = [
        c for c in list_all("credentials", credentials_list.sync_detailed, client)
        if c.server == server.id
    ]  # fmt: skip
    if not credentials:
        raise DrsError(f"you have no credential for server {server.name!r}: add one first")
    if args.credential:
        return server, by_name("credential", credentials, args.credential, lambda c: c.username)
    if len(credentials) > 1:
        names = ", ".join(c.username for c in credentials)
        raise DrsError(f"several credentials for {server.name!r} ({names}): pick --credential")
    return server, credentials[0]


def application(client: AuthenticatedClient, name: str) -> Any:
    return call(f"application {name}", applications_retrieve.sync_detailed, name, client=client)


def cmd_apps(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    from drs_cli.main import dump_json, table

    apps = list_all("applications", applications_list.sync_detailed, client)
    if args.json:
        dump_json(apps)
        return 0
    rows = [[a.name, a.title, " ".join(_properties(a))] for a in apps]
    table(rows, ["NAME", "TITLE", "PARAMETERS"])
    return 0


def cmd_run(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    from drs_cli.main import _by_name, started

    app = application(client, args.app)
    server, credential = target(args, client, app, _by_name)
    body = ApplicationJobCreateRequest(
        application=app.name,
        server=server.id,
        credential=credential.id,
        parameters=parameters(app, args, client),
        title=args.title or "",
    )
    job = call("submit", jobs_create.sync_detailed, client=client, body=body)
    return started(args, client, job)


def cmd_sweep(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    from drs_cli.main import _by_name, dump_json

    app = application(client, args.app)
    server, credential = target(args, client, app, _by_name)
    vary = SweepCreateRequestVary()
    for name, text in _pairs(args.vary, "--vary"):
        vary[name] = [typed(app, name, item) for item in text.split(",")]
    if not vary.additional_properties:
        raise DrsError("name what varies: --vary NAME=V1,V2,...")
    body = SweepCreateRequest(
        application=app.name,
        server=server.id,
        credential=credential.id,
        parameters=parameters(app, args, client),
        vary=vary,
        title=args.title or "",
    )
    created = call("sweep", sweeps_create.sync_detailed, client=client, body=body)
    if args.json:
        dump_json(created)
    else:
        print(created.id)
        print(f"{created.count} jobs", file=sys.stderr)
    return 0


def add_commands(command: Callable[..., Any], json_flag: argparse.ArgumentParser) -> None:
    command("apps", cmd_apps, "list the applications you can launch", parents=[json_flag])
    for name, handler, help in (
        ("run", cmd_run, "launch an application; prints the job id"),
        ("sweep", cmd_sweep, "launch one job per combination of --vary values"),
    ):
        p = command(name, handler, help, parents=[json_flag])
        p.add_argument("app", help="the application's name")
        p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                       help="a parameter's value (repeatable)")  # fmt: skip
        p.add_argument("--input", action="append", default=[], metavar="NAME=PATH",
                       help="upload PATH as the file parameter NAME (repeatable)")  # fmt: skip
        p.add_argument("--server", help="server name (or id); default: the app's only one")
        p.add_argument("--credential", help="your credential's username (or id)")
        p.add_argument("--title")
        if name == "run":
            p.add_argument("--follow", "-f", action="store_true",
                           help="stream stdout/stderr and exit with the job's status")  # fmt: skip
        else:
            p.add_argument("--vary", action="append", default=[], metavar="NAME=V1,V2,...",
                           help="values of a parameter to sweep over (repeatable)")  # fmt: skip
