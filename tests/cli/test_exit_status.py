"""The `--follow` exit status table (docs/cli.md), for every way a job ends;
the end-to-end tests cover the common ones against a real job."""

from __future__ import annotations

import pytest
from drs_cli.follow import End, exit_status


@pytest.mark.parametrize(
    ("end", "signal", "error", "expected"),
    [
        (End("succeeded", 0), "", "", (0, "")),
        (End("failed", 3), "", "Exited with code 3.", (3, "")),
        (End("failed", 255), "", "", (255, "")),
        (End("failed", 137), "SIGKILL", "", (137, "job killed by SIGKILL (exit status 137)")),
        (End("timed_out", 143), "SIGTERM", "Timed out after 5 s.", (124, "job timed out: Timed out after 5 s.")),
        (End("cancelled", 143), "SIGTERM", "Cancelled by request.", (253, "job cancelled")),
        (End("lost", None), "", "The job directory vanished.", (254, "job lost: The job directory vanished.")),
        (End("failed", None), "", "Host key mismatch.", (255, "job failed to start: Host key mismatch.")),
        (End("failed", None), "", "", (255, "job failed to start: no reason given")),
        (End("exploded", None), "", "", (255, "job ended with status 'exploded'")),
    ],
)  # fmt: skip
def test_exit_status(end: End, signal: str, error: str, expected: tuple[int, str]) -> None:
    assert exit_status(end, signal=signal, error=error) == expected
