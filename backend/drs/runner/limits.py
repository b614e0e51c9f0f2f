"""What a host can start. The job's command (its exports, then the interpreter's argv, all
quoted for the shell) reaches the wrapper's `sh -c` as ONE argument, and Linux refuses any
single argument of MAX_ARG_STRLEN bytes or more (execve fails with E2BIG): such a job
would never start. Under that bound, the program's own argv and environment are far below
exec's total limit (a quarter of the stack limit, 2 MiB by default)."""

from __future__ import annotations

from drs.runner.remote import job_command

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
