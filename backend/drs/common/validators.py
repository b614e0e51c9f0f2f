"""Validators shared by the API's serializers."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

# Use these with `fullmatch`: `$` also matches before a trailing newline, so `match` with
# `^…$` accepted "FOO\n" (found in review). `\Z` keeps a stray `match` call safe too.
HOSTNAME_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
USERNAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}\Z")


def is_hostname_or_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        pass
    name = value[:-1] if value.endswith(".") else value
    if not name or len(name) > 253:
        return False
    labels = name.split(".")
    return all(HOSTNAME_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()


def env_name_error(names: Iterable[str]) -> str | None:
    """Why a job's environment variable names are unusable (the first bad one), or None."""
    bad = next((name for name in names if not ENV_NAME.fullmatch(name)), None)
    if bad is None:
        return None
    return f"Invalid variable name {bad!r}: use letters, digits and _, not starting with a digit."


def result_pattern_error(pattern: str) -> str | None:
    """Why a result pattern is unusable, or None. Patterns are relative globs; `!` excludes."""
    glob = pattern[1:] if pattern.startswith("!") else pattern
    if not glob.strip():
        return "Empty pattern."
    if glob.startswith("/"):
        return "Patterns are relative to the job directory; remove the leading '/'."
    if ".." in glob.split("/"):
        return "Patterns may not contain '..'."
    if glob.count("[") != glob.count("]"):
        return "Unbalanced '[' in pattern."
    return None
