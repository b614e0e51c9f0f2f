"""The job directory on its host, as submissions must respect it: the names DRS keeps
there, and the command a job runs. The runner writes both (drs/runner/remote.py).

What a host can start: the job's command (its exports, then the interpreter's argv, all
quoted for the shell) reaches the wrapper's `sh -c` as ONE argument, and Linux refuses any
single argument of MAX_ARG_STRLEN bytes or more (execve fails with E2BIG): such a job
would never start. Under that bound, the program's own argv and environment are far below
exec's total limit (a quarter of the stack limit, 2 MiB by default)."""

from __future__ import annotations

import re
import shlex

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Files the wrapper keeps in the job dir; never collected as results.
CONTROL_FILES = frozenset(
    {"program", "stdout", "stderr", "pgid", "pgid.tmp", "pid", "pid.tmp", "exit_code",
     "exit_code.tmp", ".drs-started", ".drs-launched", ".drs-wrap",
     # a batch scheduler's (runner/schedulers/slurm.py)
     ".drs-batch", ".drs-slurm.out", ".drs-submitted", ".drs-submitted.tmp", ".drs-submit.err",
     # staged inputs (runner/staging.py)
     ".drs-staged"}
)  # fmt: skip

MAX_ARG_STRLEN = 131072  # bytes, the terminating NUL included (32 pages)


def command_error(command: str) -> str:
    """Why COMMAND (`job_command`'s) cannot start on a Linux host, or "" when it can."""
    size = len(command.encode(errors="surrogatepass")) + 1
    if size <= MAX_ARG_STRLEN:
        return ""
    return (
        f"Too long to start: the arguments and environment take {size:,} bytes once quoted "
        f"for the shell, over the {MAX_ARG_STRLEN:,} bytes Linux accepts in one argument "
        "(MAX_ARG_STRLEN), and the job's command reaches sh as one. Put long values in the "
        "program instead."
    )


def job_command_error(
    interpreter_argv: list[str], arguments: list[str], environment: dict[str, str]
) -> str:
    """`command_error` of the command a job with these values would run."""
    argv = [*interpreter_argv, "./program", *arguments]
    return command_error(job_command(argv, environment))


def q(value: str) -> str:
    return shlex.quote(value)


def job_command(argv: list[str], environment: dict[str, str]) -> str:
    """The command the inner shell runs: exports, then exec of the interpreter (exec, so a
    signal that kills the program shows in the exit status the wrapper records)."""
    for name in environment:
        if not ENV_NAME.fullmatch(name):
            raise ValueError(f"Invalid environment variable name: {name!r}")
    exports = "".join(f"export {name}={q(str(value))}\n" for name, value in environment.items())
    # Last, so the file DRS follows is the one the job is told about.
    exports += 'export DRS_METRICS="$PWD/metrics.jsonl"\n'
    return exports + "exec " + " ".join(q(arg) for arg in argv)
