"""Readable units on the command line → the API's fields (`--mem 8G` → memory_mb 8192,
`--time 1h30m` → timeout_seconds 5400). Slurm's own units: memory in binary multiples."""

from __future__ import annotations

import re

_MEMORY = re.compile(r"(\d+)\s*([KMGT]?)(?:i?B)?", re.IGNORECASE)
_MB_PER = {"K": 1 / 1024, "": 1, "M": 1, "G": 1024, "T": 1024 * 1024}
_DURATION = re.compile(r"(\d+)\s*([dhms])", re.IGNORECASE)
_SECONDS_PER = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def memory_mb(text: str) -> int:
    """`8G`, `500M`, `1T`, `4096` (MB) → whole megabytes, at least 1."""
    match = _MEMORY.fullmatch(text.strip())
    if not match:
        raise ValueError(f"bad memory {text!r}: use e.g. 500M, 8G or 1T")
    value = int(match.group(1)) * _MB_PER[match.group(2).upper()]
    if value < 1:
        raise ValueError(f"bad memory {text!r}: at least 1M")
    return int(value)


def seconds(text: str) -> int:
    """`2h`, `1h30m`, `90m`, `45s`, `1d`, `HH:MM:SS`, `MM:SS` or plain seconds."""
    value = text.strip()
    if value.isdigit():
        total = int(value)
    elif re.fullmatch(r"\d+(:\d{1,2}){1,2}", value):
        total = 0
        for part in value.split(":"):
            total = total * 60 + int(part)
    elif value and _DURATION.sub("", value).strip() == "":
        total = sum(int(n) * _SECONDS_PER[u.lower()] for n, u in _DURATION.findall(value))
    else:
        raise ValueError(f"bad duration {text!r}: use e.g. 2h, 1h30m, 90m or 01:30:00")
    if total < 1:
        raise ValueError(f"bad duration {text!r}: at least 1 second")
    return total
