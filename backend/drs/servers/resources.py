"""A job's batch-scheduler resource request (docs/schedulers.md): its shape and the
checks every value passes before it can reach a command line. Values are shell-quoted
when used as well; these checks refuse what no scheduler accepts, so the user reads why
at once instead of a late sbatch error."""

from __future__ import annotations

import re
from typing import Any

STRING_KEYS = ("partition", "account", "qos", "reservation", "constraint")
# Minimum value of each integer key; `gpus` 0 asks for none.
INTEGER_KEYS = {"nodes": 1, "ntasks": 1, "cpus_per_task": 1, "memory_mb": 1, "gpus": 0}
INTEGER_MAX = 10**9
KEYS = (*STRING_KEYS, *INTEGER_KEYS)

# Printable, no whitespace, none of #'"\$`;<> ; constraints also keep Slurm's & | [ ].
_PLAIN = re.compile(r"[!%()*+,\-./0-9:=?@A-Z^_a-z{}~]{1,128}")
_CONSTRAINT = re.compile(r"[!%&()*+,\-./0-9:=?@A-Z\[\]^_a-z{|}~]{1,128}")


def resources_error(value: Any) -> str:
    """Why VALUE is not a valid resource request ("" when it is)."""
    if not isinstance(value, dict):
        return "Give an object of resource names and values."
    for key, item in value.items():
        if key not in KEYS:
            return f"Unknown resource {key!r}; known: {', '.join(KEYS)}."
        if key in STRING_KEYS:
            pattern = _CONSTRAINT if key == "constraint" else _PLAIN
            if not isinstance(item, str) or not pattern.fullmatch(item):
                allowed = " (and & | [ ])" if key == "constraint" else ""
                return (
                    f"{key}: 1-128 printable characters{allowed}, without spaces, line breaks "
                    "or any of # ' \" \\ $ ` ; < >."
                )
        else:
            low = INTEGER_KEYS[key]
            if (
                isinstance(item, bool)
                or not isinstance(item, int)
                or not low <= item <= INTEGER_MAX
            ):
                return f"{key}: a whole number from {low} to {INTEGER_MAX}."
    return ""


def effective_resources(defaults: dict[str, Any], requested: dict[str, Any]) -> dict[str, Any]:
    """The server's defaults overlaid by the job's own request."""
    return {**defaults, **requested}
