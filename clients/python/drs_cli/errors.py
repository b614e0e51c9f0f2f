"""The one error type the `drs` command line shows: a single line, no traceback."""

from __future__ import annotations


class DrsError(Exception):
    """A failure explained in one line (naming the cause and, when there is one, the fix).
    The CLI prints `drs: <message>` on stderr and exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
