"""The scheduler seam: how a job runs once its host is reached (docs/schedulers.md).

A scheduler builds `/bin/sh` scripts and parses their output; it never runs anything
itself; the runner's transport (`remote.Remote.run`) does. So an implementation is pure
functions over strings, unit-tested with recorded output (AiiDA's `schedulers/` and
Pulsar's job managers have the same split). A new one (PBS, LSF, Flux) is one module
of this shape and its tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from drs.runner.remote import RunResult


@dataclass(frozen=True)
class BatchJob:
    """What a submission needs, all from the job row (the command is already quoted)."""

    job_id: str
    directory: str
    command: str
    program: str | None  # None: uploaded beforehand (a here-document cannot carry it)
    resources: dict[str, Any] = field(default_factory=dict)
    timeout_seconds: int | None = None


class Phase:
    PENDING = "pending"
    RUNNING = "running"
    ENDED = "ended"


@dataclass(frozen=True)
class SchedulerState:
    """One job as the scheduler reports it: its own word for the state, mapped to a phase."""

    state: str
    phase: str
    reason: str = ""
    expected_start: datetime | None = None


@dataclass(frozen=True)
class Ending:
    status: str  # a terminal JobStatus
    error: str


class SubmitRefused(Exception):
    """The scheduler refused the job (partition, account, limits): fail it at once."""


class Scheduler(Protocol):
    name: str

    def submit_script(self, job: BatchJob) -> str:
        """Create the job directory, write the program (when given), submit; idempotent:
        a retry reports the job already submitted. Prints the scheduler's job id."""

    def parse_submit(self, result: RunResult) -> str:
        """The scheduler job id, or SubmitRefused with the scheduler's own message."""

    def status_script(self, ids: list[str]) -> str:
        """One call for many jobs."""

    def parse_status(self, result: RunResult) -> dict[str, SchedulerState] | None:
        """States of the jobs the scheduler still knows; None when it did not answer
        (a controller restarting): callers then leave their jobs as they are."""

    def history_script(self, ids: list[str]) -> str:
        """Accounting, for jobs the queue has forgotten."""

    def parse_history(self, result: RunResult) -> dict[str, SchedulerState]: ...

    def cancel_script(self, scheduler_job_id: str, *, signal_name: str | None) -> str:
        """Remove a job from the queue (None), or signal every process of a running one,
        its batch shell included."""

    def explain(self, state: SchedulerState, *, cancelled_by_drs: bool) -> Ending:
        """How a job ended that wrote no exit code."""
