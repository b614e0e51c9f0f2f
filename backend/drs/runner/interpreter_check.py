"""Does each of a server's interpreters start? Part of "Check connection".

A job runs `<path> <arguments> <program file> <job arguments>`, so the probe runs exactly
that with an empty program file: an empty file is a valid program for python, sh, bash,
Rscript, perl or node, and `/usr/bin/env` with no arguments fails here as a job would
(126, permission denied). One script on one channel checks them all."""

from __future__ import annotations

import asyncio

import asyncssh

from drs.runner.remote import q
from drs.servers.hosts import InterpreterStatus
from drs.servers.models import Interpreter

# A slow interpreter start (a cold conda environment) can take seconds; a hung one must
# not hold the request forever.
PROBE_TIMEOUT_SECONDS = 30
_DETAIL_CHARS = 300


def probe_script(interpreters: list[Interpreter]) -> str:
    """/bin/sh script: one line per interpreter, `<id> <exit status> <first stderr line>`."""
    lines = [
        'f=$(mktemp "${TMPDIR:-/tmp}/drs-probe.XXXXXX") || exit 1',
        "trap 'rm -f \"$f\"' EXIT",
    ]
    for interp in interpreters:
        argv = " ".join(q(a) for a in [interp.path, *(interp.arguments or [])])
        lines.append(f'e=$({argv} "$f" < /dev/null 2>&1 > /dev/null)')
        lines.append(f'printf "%s %s %s\\n" {interp.pk} "$?" "$(printf "%s" "$e" | head -n 1)"')
    return "\n".join(lines) + "\n"


def parse_probe(output: str, interpreters: list[Interpreter]) -> list[InterpreterStatus]:
    seen: dict[int, tuple[int, str]] = {}
    for line in output.splitlines():
        parts = line.split(" ", 2)
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            seen[int(parts[0])] = (int(parts[1]), (parts[2] if len(parts) > 2 else "").strip())
    statuses = []
    for interp in interpreters:
        code, message = seen.get(interp.pk, (-1, "did not report"))
        detail = "" if code == 0 else explain(code, message)
        statuses.append(InterpreterStatus(interp.pk, interp.name, code == 0, detail))
    return statuses


def explain(code: int, message: str) -> str:
    why = {
        126: "cannot run the program file (is the path an interpreter that reads a file?)",
        127: "not found on the server",
    }.get(code, f"exit status {code}")
    return f"{why}: {message[:_DETAIL_CHARS]}" if message else why


async def probe_interpreters(
    conn: asyncssh.SSHClientConnection, interpreters: list[Interpreter]
) -> list[InterpreterStatus]:
    if not interpreters:
        return []
    script = probe_script(interpreters)
    try:
        result = await asyncio.wait_for(
            conn.run("/bin/sh -s", input=script, check=False), PROBE_TIMEOUT_SECONDS
        )
    except TimeoutError:
        return [
            InterpreterStatus(i.pk, i.name, False, "no answer within 30 s") for i in interpreters
        ]
    return parse_probe(str(result.stdout or ""), interpreters)


def summary(statuses: list[InterpreterStatus]) -> str:
    """One sentence naming every interpreter that did not start, or ""."""
    bad = [f"{s.name} ({s.detail})" for s in statuses if not s.ok]
    if not bad:
        return ""
    return "Connected, but these interpreters do not start: " + "; ".join(bad) + "."
