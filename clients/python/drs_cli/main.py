"""`drs`: DRS from a terminal or a script.

Data goes to stdout (tables for people, `--json` for scripts, exact log bytes), messages
and progress to stderr. Errors are one line, `drs: <what went wrong>`, exit status 1
(255 for the `--follow` commands); `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import os
import re
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from drs_cli import files, notify
from drs_cli import session as sessions
from drs_cli.api import call, iter_all, list_all, request, status_error, transport_error
from drs_cli.errors import DrsError
from drs_cli.follow import (
    EXIT_DETACHED,
    EXIT_FAILED_TO_START,
    End,
    Follower,
    Output,
    exit_status,
    paused,
    split_outputs,
    stream_outputs,
)
from drs_cli.results import download_results, human, list_results
from drs_cli.session import Session
from drs_cli.units import memory_mb, seconds
from drs_client import AuthenticatedClient
from drs_client.api.auth import auth_me, auth_tokens_destroy, auth_tokens_list
from drs_client.api.credentials import credentials_list
from drs_client.api.interpreters import interpreters_list
from drs_client.api.jobs import jobs_cancel, jobs_create, jobs_list, jobs_rerun, jobs_retrieve
from drs_client.api.servers import servers_list
from drs_client.models import (
    JobCreateRequest,
    JobCreateRequestEnvironment,
    JobCreateRequestResources,
    LogPolicyEnum,
)
from drs_client.types import Unset

EXIT_STATUS_HELP = """\
exit status of --follow (submit, rerun, logs), as `ssh host cmd`:
  0-255  the job's own exit code (a job killed by signal N: 128+N, with a reason line)
  124    the job timed out
  253    the job was cancelled
  254    the job was lost (its remote process vanished)
  255    the job failed to start, or drs could not submit or follow it
  130    you pressed Ctrl-C and detached (the job keeps running)
Other commands exit 0, or 1 with one line on stderr. DRS_URL and DRS_TOKEN override the
stored login."""


# --- output helpers -------------------------------------------------------------------------


def err(message: str) -> None:
    print(f"drs: {message}", file=sys.stderr, flush=True)


def text(value: Any) -> str:
    if value is None or isinstance(value, Unset):
        return ""
    if hasattr(value, "value"):  # enums
        return str(value.value)
    if isinstance(value, list):
        return ",".join(map(text, value))
    return str(value)


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[text(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    widths = [min(w, 60) for w in widths]
    for row in [list(headers), *cells]:
        line = "  ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True))
        print(line.rstrip())


def dump_json(value: Any) -> None:
    def plain(item: Any) -> Any:
        return item.to_dict() if hasattr(item, "to_dict") else item

    data = [plain(v) for v in value] if isinstance(value, list) else plain(value)
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


SHORT_ID = re.compile(r"(?=(?:-*[0-9a-fA-F]){4})[0-9a-fA-F-]{4,36}")


def resolve_job_id(client: AuthenticatedClient, value: str) -> UUID:
    """A full job id, or a unique prefix of one (the 8 characters the web page shows),
    looked up among the jobs the user may see."""
    with contextlib.suppress(ValueError):
        return UUID(value)
    if not SHORT_ID.fullmatch(value):
        raise DrsError(
            f"bad job id {value!r}: expected a job id or its first hex digits (at least 4)"
        )
    page = call(
        f"job {value}", jobs_list.sync_detailed, client=client, id_prefix=value, page_size=2
    )
    matches = list(page.results)
    if not matches:
        raise DrsError(f"no job of yours has an id starting with {value!r}")
    if len(matches) > 1:
        raise DrsError(
            f"ambiguous job id {value!r}: several of your jobs start with it; give more of it"
        )
    return UUID(str(matches[0].id))


# --- commands ---------------------------------------------------------------------------------


def cmd_login(args: argparse.Namespace) -> int:
    username = args.username
    if not username:
        sys.stderr.write("Username: ")
        sys.stderr.flush()
        username = sys.stdin.readline().strip()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        # Without a terminal getpass reads stdin (warning that it cannot hide the echo);
        # empty stdin ends in EOFError, which deserves a sentence, not its name.
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", getpass.GetPassWarning)
                password = getpass.getpass("Password: ")
        except EOFError:
            sys.stderr.write("\n")  # end the unanswered prompt's line
            raise DrsError(
                "no password given and no terminal to ask on: pipe it in with "
                "--password-stdin, e.g. `drs login URL -u NAME --password-stdin < FILE`"
            ) from None
    if not username or not password:
        raise DrsError("login needs a user name and a password")
    session = sessions.login(args.url, username, password)
    with session.client() as client:
        me = request("login check", auth_me.sync_detailed, client=client)
    path = sessions.save(session)
    name = json.loads(me.content).get("username", username) if me.content else username
    err(f"logged in to {session.url} as {name}; token stored in {path}")
    return 0


def cmd_logout(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    """Revoke the token on the server, then forget it here."""
    session: sessions.Session = args.session
    token_id = session.token_id
    if token_id is None:  # a token from DRS_TOKEN or an older login: find it by its prefix
        tokens = call("your tokens", auth_tokens_list.sync_detailed, client=client) or []
        matches = [t.id for t in tokens if session.token.startswith(t.prefix)]
        if len(matches) != 1:
            raise DrsError("cannot tell which token this is: revoke it in the web app")
        token_id = matches[0]
    request("logout", auth_tokens_destroy.sync_detailed, token_id, client=client, expect=(401, 404))
    path = sessions.forget() if not os.environ.get("DRS_TOKEN") else None
    err(f"logged out of {session.url}: token revoked" + (f", {path} removed" if path else ""))
    return 0


def cmd_servers(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    servers = list_all("servers", servers_list.sync_detailed, client)
    interpreters = {
        i.id: i.name for i in list_all("interpreters", interpreters_list.sync_detailed, client)
    }
    if args.json:
        dump_json(servers)
        return 0
    rows = [
        [s.id, s.name, s.kind, s.hostname, s.port, s.enabled,
         [interpreters.get(i, i) for i in s.interpreters or []]]
        for s in servers
    ]  # fmt: skip
    table(rows, ["ID", "NAME", "KIND", "HOST", "PORT", "ENABLED", "INTERPRETERS"])
    return 0


def cmd_interpreters(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    interpreters = list_all("interpreters", interpreters_list.sync_detailed, client)
    if args.json:
        dump_json(interpreters)
        return 0
    rows = [[i.id, i.name, " ".join([i.path, *(i.arguments or [])])] for i in interpreters]
    table(rows, ["ID", "NAME", "COMMAND"])
    return 0


def cmd_credentials(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    credentials = list_all("credentials", credentials_list.sync_detailed, client)
    if args.json:
        dump_json(credentials)
        return 0
    servers = {s.id: s.name for s in list_all("servers", servers_list.sync_detailed, client)}
    rows = [[c.id, servers.get(c.server, c.server), c.username, c.kind] for c in credentials]
    table(rows, ["ID", "SERVER", "USERNAME", "KIND"])
    return 0


def cmd_jobs(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    params: dict[str, Any] = {}
    if args.status:
        from drs_client.models import JobsListStatusItem

        try:
            params["status"] = [JobsListStatusItem(s) for s in args.status]
        except ValueError as exc:
            known = ", ".join(s.value for s in JobsListStatusItem)
            raise DrsError(f"{exc}; statuses: {known}") from None
    jobs = []
    for job in iter_all("jobs", jobs_list.sync_detailed, client=client, **params):
        jobs.append(job)
        if args.limit and len(jobs) >= args.limit:
            break
    if args.json:
        dump_json(jobs)
        return 0
    rows = [
        [j.id, status_text(j), j.exit_code, j.server_name, text(j.created_at)[:19], j.title]
        for j in jobs
    ]
    table(rows, ["ID", "STATUS", "EXIT", "SERVER", "CREATED", "TITLE"])
    return 0


def status_text(job: Any) -> str:
    """`pending (Resources)`: why a batch job waits, where the scheduler says."""
    status = text(job.status)
    reason = getattr(job, "pending_reason", "")
    if status == "pending" and isinstance(reason, str) and reason:
        return f"{status} ({reason})"
    return status


def _by_name(kind: str, items: list[Any], wanted: str, label: Callable[[Any], str]) -> Any:
    matches = [i for i in items if label(i) == wanted]
    if not matches and wanted.isdigit():
        matches = [i for i in items if i.id == int(wanted)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted({label(i) for i in items})) or "none"
    if not matches:
        raise DrsError(f"no {kind} named {wanted!r} (yours: {known})")
    raise DrsError(f"several {kind}s are named {wanted!r}: give its id")


def read_program(path: str) -> tuple[str, str]:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise DrsError(f"cannot read the program {path}: {exc.strerror}") from None
    try:
        return data.decode(), "stdin" if path == "-" else Path(path).name
    except UnicodeDecodeError:
        raise DrsError(f"the program {path} is not UTF-8 text") from None


def cmd_submit(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    program, default_title = read_program(args.file)
    server = _by_name("server", list_all("servers", servers_list.sync_detailed, client),
                      args.server, lambda s: s.name)  # fmt: skip
    interpreter = _by_name(
        "interpreter",
        list_all("interpreters", interpreters_list.sync_detailed, client),
        args.interpreter,
        lambda i: i.name,
    )
    credentials = [
        c for c in list_all("credentials", credentials_list.sync_detailed, client)
        if c.server == server.id
    ]  # fmt: skip
    if not credentials:
        raise DrsError(f"you have no credential for server {server.name!r}: add one first")
    if args.credential:
        credential = _by_name("credential", credentials, args.credential, lambda c: c.username)
    elif len(credentials) == 1:
        credential = credentials[0]
    else:
        names = ", ".join(c.username for c in credentials)
        raise DrsError(
            f"several credentials for {server.name!r} ({names}): pick one with --credential"
        )
    environment = JobCreateRequestEnvironment()
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep:
            raise DrsError(f"bad --env {item!r}: expected NAME=VALUE")
        environment[name] = value
    resources = submit_resources(args)
    timeout = args.timeout
    if args.time is not None:
        if timeout is not None:
            raise DrsError("give --time or --timeout, not both")
        timeout = _unit(seconds, args.time, "--time")
    body = JobCreateRequest(
        server=server.id,
        credential=credential.id,
        interpreter=interpreter.id,
        program=program,
        title=args.title if args.title is not None else default_title,
        arguments=list(args.arg),
        environment=environment,
        timeout_seconds=timeout,
        log_policy=LogPolicyEnum(args.log_policy),
        result_patterns=list(args.result),
        inputs=files.result_inputs(client, args.input_result)
        + files.upload_inputs(client, args.input),
    )
    if resources is not None:
        body.resources = resources
    if args.notify_email:
        body.notify_email = True
    job = call("submit", jobs_create.sync_detailed, client=client, body=body)
    return started(args, client, job)


def _unit(parse: Callable[[str], int], value: str, flag: str) -> int:
    try:
        return parse(value)
    except ValueError as exc:
        raise DrsError(f"{flag}: {exc}") from None


def submit_resources(args: argparse.Namespace) -> JobCreateRequestResources | None:
    """The batch scheduler's request from --partition, --cpus, --mem, ... (None: none)."""
    values: dict[str, Any] = {}
    for flag, name in (("partition", "partition"), ("account", "account")):
        if getattr(args, flag) is not None:
            values[name] = getattr(args, flag)
    for flag, name in (("cpus", "cpus_per_task"), ("gpus", "gpus"), ("nodes", "nodes")):
        if getattr(args, flag) is not None:
            values[name] = getattr(args, flag)
    if args.mem is not None:
        values["memory_mb"] = _unit(memory_mb, args.mem, "--mem")
    return JobCreateRequestResources(**values) if values else None


def started(args: argparse.Namespace, client: AuthenticatedClient, job: Any) -> int:
    """After submit or rerun: print the id (or JSON), or follow the job to its end."""
    if not args.follow:
        if args.json:
            dump_json(job)
        else:
            print(job.id)
        return 0
    if not getattr(args, "quiet", False):  # `drs run` (apps.py) has no --quiet
        # stdout carries the job's output: the id goes to stderr, whether or not it is a
        # terminal, so a redirected run still says which job it started.
        err(f"job {job.id}")
    routes = split_outputs(sys.stdout.buffer, sys.stderr.buffer)
    try:
        return follow_to_end(args.session, client, job.id, routes, quiet=not sys.stderr.isatty())
    except DrsError as exc:
        # The job exists and runs on: say which one, or nobody could find it again.
        raise DrsError(f"{exc.message} (job {job.id} was submitted)", exc.code) from exc


def cmd_logs(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    job_id = resolve_job_id(client, args.job)
    if args.follow:
        routes = stream_outputs(sys.stdout.buffer, args.stream)
        return follow_to_end(args.session, client, job_id, routes, quiet=False)
    base = args.session.url
    try:
        with client.get_httpx_client().stream(
            "GET", f"/api/jobs/{job_id}/log.txt", params={"stream": args.stream}
        ) as response:
            if response.status_code != 200:
                response.read()
                raise status_error(f"job {job_id}", response, base)
            for block in response.iter_bytes():
                sys.stdout.buffer.write(block)
    except httpx.HTTPError as exc:
        raise transport_error(base, exc) from exc
    sys.stdout.buffer.flush()
    return 0


def cmd_results(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    job_id = resolve_job_id(client, args.job)
    if args.download:
        results = download_results(client, job_id, Path(args.download))
        if args.json:
            dump_json(results)
        else:
            err(f"{len(results)} file(s) in {args.download}, sha256 checked")
        return 0
    results = list_results(client, job_id)
    if args.json:
        dump_json(results)
        return 0
    table([[r.path, human(r.size), r.sha256] for r in results], ["PATH", "SIZE", "SHA256"])
    return 0


def cmd_files(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    action = args.action or "ls"
    if action == "upload":
        stored = [files.upload(client, Path(p)) for p in args.paths]
        if args.json:
            dump_json(stored)
        else:
            for item in stored:
                print(item.id)
        return 0
    if action == "download":
        file_id = parse_id("file", args.id)
        info = files.download(client, file_id, Path(args.output) if args.output else None)
        err(f"{info.name}  {human(info.size)}  sha256 checked")
        return 0
    if action == "rm":
        for value in args.ids:
            files.remove(client, parse_id("file", value))
        return 0
    listed = files.list_files(client)
    if args.json:
        dump_json(listed)
        return 0
    table(
        [[f.id, f.name, human(f.size), text(f.created_at), f.sha256[:12]] for f in listed],
        ["ID", "NAME", "SIZE", "UPLOADED", "SHA256"],
    )
    return 0


def parse_id(kind: str, value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise DrsError(f"bad {kind} id {value!r}: expected a UUID") from None


def cmd_cancel(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    job_id = resolve_job_id(client, args.job)
    response = request(f"job {job_id}", jobs_cancel.sync_detailed, job_id, client=client)
    job = response.parsed
    if args.json:
        dump_json(job)
    else:
        print(f"{job_id} {text(getattr(job, 'status', 'cancelling'))}")
    return 0


def cmd_rerun(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    job_id = resolve_job_id(client, args.job)
    job = call(f"job {job_id}", jobs_rerun.sync_detailed, job_id, client=client)
    return started(args, client, job)


def cmd_show(args: argparse.Namespace, client: AuthenticatedClient) -> int:
    job_id = resolve_job_id(client, args.job)
    job = call(f"job {job_id}", jobs_retrieve.sync_detailed, job_id, client=client)
    if args.json:
        dump_json(job)
        return 0
    fields = ["id", "title", "status", "exit_code", "signal", "error", "server_name",
              "interpreter_name", "created_at", "started_at", "finished_at",
              "duration_seconds", "timeout_seconds", "log_policy", "rerun_of",
              "remote_directory"]  # fmt: skip
    data = job.to_dict()
    for name in fields:
        if name in data and data[name] not in (None, ""):
            print(f"{name + ':':<18}{text(getattr(job, name, data[name]))}")
    return 0


# --- following, with Ctrl-C --------------------------------------------------------------------


def ask_cancel() -> bool:
    """On Ctrl-C: cancel the job, or detach? Detach unless a person at a terminal says c."""
    if not sys.stdin.isatty():
        return False
    # The follower holds its output while this asks (Output.paused), so the prompt
    # starts on a line of its own and no log line lands in the middle of the answer.
    sys.stderr.write("\ndrs: interrupted. Cancel the job [c], or detach and leave it running [D]? ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("c", "cancel", "y", "yes")


def follow_to_end(
    session: Session, client: AuthenticatedClient, job_id: UUID, routes: dict[str, Output],
    *, quiet: bool,
) -> int:  # fmt: skip
    """Follow the job's log to its end and turn the outcome into an exit status."""
    notice = (lambda message: None) if quiet else err
    follower = Follower(session, job_id, routes, notice=notice)

    async def run() -> End | None:
        loop = asyncio.get_running_loop()
        interrupted = asyncio.Event()
        # Without loop signal handlers (Windows) Ctrl-C raises KeyboardInterrupt: detach.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, interrupted.set)
        task = asyncio.create_task(follower.run())
        cancelling = False
        try:
            while True:
                waiter = asyncio.create_task(interrupted.wait())
                await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                if task.done():
                    return task.result()
                interrupted.clear()
                if cancelling:
                    return None
                with paused(routes):
                    answer = await asyncio.to_thread(ask_cancel)
                if not answer:
                    return None
                await asyncio.to_thread(
                    request, f"job {job_id}", jobs_cancel.sync_detailed, job_id, client=client,
                    expect=(409,),
                )  # fmt: skip
                cancelling = True
                err("cancel requested; following to the end (Ctrl-C again detaches)")
        finally:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signal.SIGINT)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, DrsError):
                await task

    end = asyncio.run(run())
    if end is None:
        err(f"detached; job {job_id} goes on. Follow it again: drs logs --follow {job_id}")
        return EXIT_DETACHED
    signal_name = error = ""
    if end.status != "succeeded":
        with contextlib.suppress(DrsError):
            job = call(f"job {job_id}", jobs_retrieve.sync_detailed, job_id, client=client)
            signal_name, error = text(job.signal), text(job.error)
    status, reason = exit_status(end, signal=signal_name, error=error)
    if reason:
        err(reason)
    return status


# --- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drs",
        description="Submit and follow DRS jobs, fetch their logs and results.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    json_flag = argparse.ArgumentParser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="JSON for scripts")

    def command(name: str, handler: Callable[..., int], help: str, **kw: Any) -> Any:
        p = sub.add_parser(name, help=help, description=help, epilog=EXIT_STATUS_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter, **kw)  # fmt: skip
        p.set_defaults(handler=handler)
        return p

    p = command("login", cmd_login, "sign in and store a token (mode 0600)")
    p.add_argument("url", help="the DRS site, e.g. http://127.0.0.1:8000")
    p.add_argument("--username", "-u")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    command("logout", cmd_logout, "revoke the stored token and forget it")
    command("servers", cmd_servers, "list servers", parents=[json_flag])
    command("interpreters", cmd_interpreters, "list interpreters", parents=[json_flag])
    command("credentials", cmd_credentials, "list your credentials", parents=[json_flag])
    p = command("jobs", cmd_jobs, "list your jobs, newest first", parents=[json_flag])
    p.add_argument("--status", action="append", default=[], help="only this status (repeatable)")
    p.add_argument("--limit", type=int, default=50, help="at most N jobs (0: all; default 50)")

    p = command("submit", cmd_submit, "submit a program; prints the job id", parents=[json_flag])
    p.add_argument("file", help="the program file, or - to read it from stdin")
    p.add_argument("--server", required=True, help="server name (or id)")
    p.add_argument("--interpreter", required=True, help="interpreter name (or id)")
    p.add_argument("--credential", help="your credential's username (or id) when you have several")
    p.add_argument("--title")
    p.add_argument("--arg", action="append", default=[], help="program argument (repeatable)")
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE (repeatable)")
    p.add_argument("--result", action="append", default=[], help="result glob, !glob excludes")
    p.add_argument("--timeout", type=int, help="kill the job after S seconds")
    p.add_argument("--time", help="the same as a duration: 2h, 1h30m, 90m, 01:30:00 (the "
                   "walltime on a batch scheduler)")  # fmt: skip
    batch = p.add_argument_group("batch scheduler resources (Slurm servers)")
    batch.add_argument("--partition")
    batch.add_argument("--account")
    batch.add_argument("--cpus", type=int, help="CPUs per task")
    batch.add_argument("--mem", help="memory per node: 500M, 8G, 1T")
    batch.add_argument("--gpus", type=int)
    batch.add_argument("--nodes", type=int)
    p.add_argument("--log-policy", choices=[p.value for p in LogPolicyEnum], default="live")
    p.add_argument("--follow", "-f", action="store_true",
                   help="stream stdout/stderr byte-exact and exit with the job's status")  # fmt: skip
    p.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="LOCAL[:PATH]",
        help="upload LOCAL and stage it at PATH in the job dir (default: its name)",
    )
    p.add_argument(
        "--input-result",
        action="append",
        default=[],
        metavar="JOB:RESULT[:PATH]",
        help="stage a result of an earlier job (default path: its base name)",
    )

    p.add_argument("--notify-email", action="store_true",
                   help="email me when the job ends (when the site sends email)")  # fmt: skip
    p.add_argument("--quiet", "-q", action="store_true",
                   help="with --follow: do not print `job <id>` on stderr")  # fmt: skip

    p = command(
        "files",
        cmd_files,
        "list, upload, download or remove your uploaded files",
        parents=[json_flag],
    )
    files_sub = p.add_subparsers(dest="action", metavar="ACTION")
    files_sub.add_parser("ls", help="list your files (the default)")
    up = files_sub.add_parser("upload", help="upload files; prints their ids")
    up.add_argument("paths", nargs="+")
    down = files_sub.add_parser("download", help="download a file, sha256 checked")
    down.add_argument("id")
    down.add_argument("--output", "-o", help="target file (default: its name, here)")
    rm = files_sub.add_parser("rm", help="delete files")
    rm.add_argument("ids", nargs="+")

    p = command("logs", cmd_logs, "write a job's log bytes to stdout")
    p.add_argument("job")
    p.add_argument("--follow", "-f", action="store_true", help="follow until the job ends")
    p.add_argument("--stream", choices=["all", "stdout", "stderr"], default="all",
                   help="which stream (all: both, in the order DRS received them)")  # fmt: skip
    p = command("results", cmd_results, "list a job's result files", parents=[json_flag])
    p.add_argument("job")
    p.add_argument("--download", metavar="DIR", help="download them into DIR, sha256 checked")
    p = command("cancel", cmd_cancel, "cancel a job", parents=[json_flag])
    p.add_argument("job")
    p = command("rerun", cmd_rerun, "submit a job again; prints the new id", parents=[json_flag])
    p.add_argument("job")
    p.add_argument("--follow", "-f", action="store_true", help="follow the new job")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="with --follow: do not print `job <id>` on stderr")  # fmt: skip
    p = command("show", cmd_show, "show one job", parents=[json_flag])
    p.add_argument("job")
    from drs_cli import apps

    apps.add_commands(command, json_flag)
    notify.add_parsers(command, json_flag)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    following = bool(getattr(args, "follow", False))
    try:
        if args.command == "login":
            return int(args.handler(args))
        args.session = sessions.load()
        with args.session.client() as client:
            return int(args.handler(args, client))
    except DrsError as exc:
        if args.debug:
            traceback.print_exc()
        err(exc.message)
        return EXIT_FAILED_TO_START if following else exc.code
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_DETACHED
    except BrokenPipeError:
        # `drs logs JOB | head`: the reader left; not an error worth a line.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the one place that turns a bug into one line
        if args.debug:
            raise
        err(f"unexpected error: {type(exc).__name__}: {exc} (--debug shows the traceback)")
        return EXIT_FAILED_TO_START if following else 1


if __name__ == "__main__":
    sys.exit(main())
