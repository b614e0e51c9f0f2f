"""Job inputs: where each goes in the job directory (checked here) and what it is."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from drs.jobs.jobdir import CONTROL_FILES

MAX_INPUTS = 200
MAX_PATH_BYTES = 255
# Names staging itself writes: the all-staged marker, and each input's partial copy.
STAGED_MARKER = ".drs-staged"
PART_SUFFIX = ".drs-part"


@dataclass(frozen=True)
class InputSpec:
    """A validated input, ready to store: exactly one of `file_id`, `result_id`."""

    path: str
    size: int
    sha256: str
    file_id: Any = None
    result_id: int | None = None


def path_error(path: str) -> str | None:
    """Why PATH cannot name an input in the job directory (None: it can)."""
    if not path:
        return "A path is required."
    if any(c in path for c in "\0\n\r"):
        return "No NUL or line break in a path."
    if path.startswith("/"):
        return f"{path!r} is absolute: give a path relative to the job directory."
    if len(path.encode()) > MAX_PATH_BYTES:
        return f"{path[:40]!r}… is longer than {MAX_PATH_BYTES} bytes."
    parts = path.split("/")
    if ".." in parts:
        return f"{path!r} leaves the job directory ('..')."
    if posixpath.normpath(path) != path or "." in parts:
        return f"{path!r} is not normalised: write it as {posixpath.normpath(path)!r}."
    top = parts[0]
    if top in CONTROL_FILES or top.startswith(".drs") or path.endswith(PART_SUFFIX):
        return f"{path!r} is one of DRS's own names in the job directory."
    return None


def collision_error(paths: Iterable[str]) -> str | None:
    """Two inputs at one path, or one inside another (a file cannot also be a directory)."""
    seen: set[str] = set()
    for path in sorted(paths):
        if path in seen:
            return f"Two inputs have the path {path!r}."
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in seen:
                return f"{path!r} would be inside the input {parent!r}."
        seen.add(path)
    return None
