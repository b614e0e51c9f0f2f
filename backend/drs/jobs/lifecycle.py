"""The job's status transitions, in one place. Each is a conditional UPDATE guarded by the
state it leaves (and, for the runner's transitions, by its lease), so two processes can
never both move a job on: the loser's row count is 0. Callers publish the change after
the commit (`drs.jobs.events`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from django.utils import timezone

from drs.jobs.choices import ACTIVE_STATUSES, TERMINAL_STATUSES, JobStatus
from drs.jobs.models import Job
from drs.signals import job_finished, job_started, send_after_commit

JobId = str | UUID


def set_directory(job_id: JobId, owner: str, directory: str) -> bool:
    """The job directory is chosen (and recorded) before anything is created there."""
    return (
        Job.objects.filter(pk=job_id, lease_owner=owner, status__in=ACTIVE_STATUSES).update(
            remote_directory=directory
        )
        == 1
    )


def mark_running(
    job_id: JobId, owner: str, *, pgid: int, pgid_start: str, pid: int, pid_start: str
) -> bool:
    """starting → running, once the wrapper recorded the job's process group and its own pid.
    `job_started` goes out the first time only (a reattaching runner never gets here)."""
    now = timezone.now()
    jobs = Job.objects.filter(pk=job_id, lease_owner=owner, status__in=ACTIVE_STATUSES)
    running = {
        "status": JobStatus.RUNNING,
        "started_at": now,
        "remote_pgid": pgid,
        "remote_pgid_start": pgid_start,
        "remote_pid": pid,
        "remote_pid_start": pid_start,
        "heartbeat_at": now,
    }
    if jobs.filter(started_at=None).update(**running):
        send_after_commit(job_started, job_id)
        return True
    return jobs.update(**running) == 1


def set_unreachable(job_id: JobId, owner: str, *, reachable: bool) -> None:
    """Start (or clear) the give-up clock; it survives a runner restart."""
    jobs = Job.objects.filter(pk=job_id, lease_owner=owner)
    if reachable:
        jobs.exclude(unreachable_since=None).update(unreachable_since=None)
    else:
        jobs.filter(unreachable_since=None).update(unreachable_since=timezone.now())


def finish(
    job_id: JobId,
    owner: str,
    *,
    status: str,
    error: str = "",
    exit_code: int | None = None,
    signal_name: str = "",
) -> bool:
    """Any active state → a terminal one, by the lease holder; the lease ends with it.
    Only the one UPDATE that matched sends `job_finished`, so it goes out exactly once."""
    assert status in TERMINAL_STATUSES
    now = timezone.now()
    done = (
        Job.objects.filter(pk=job_id, lease_owner=owner)
        .exclude(status__in=TERMINAL_STATUSES)
        .update(
            status=status,
            error=error[:10_000],
            exit_code=exit_code,
            signal=signal_name,
            finished_at=now,
            lease_owner="",
            lease_expires_at=None,
            heartbeat_at=now,
            unreachable_since=None,
        )
        == 1
    )
    if done:
        send_after_commit(job_finished, job_id)
    return done


def reserve(job_ids: list[str], *, expires_at: datetime) -> int:
    """queued → starting: the job has a slot on its server; no runner owns it yet, and
    another dispatch is due if none claims it by `expires_at`."""
    return Job.objects.filter(pk__in=job_ids, status=JobStatus.QUEUED).update(
        status=JobStatus.STARTING, lease_owner="", lease_expires_at=expires_at
    )


def request_cancel(job_id: JobId) -> None:
    """A queued job has no runner yet: it ends here and now. An active one is stopped by
    its runner, told by a hint after commit (`dispatch.hint_cancel`) or by its periodic
    check of `cancel_requested_at`."""
    request_cancel_many([job_id])


def request_cancel_many(job_ids: Sequence[JobId]) -> None:
    """`request_cancel` for many jobs in two statements (a sweep's)."""
    now = timezone.now()
    Job.objects.filter(pk__in=job_ids, cancel_requested_at=None).exclude(
        status__in=TERMINAL_STATUSES
    ).update(cancel_requested_at=now)
    queued = Job.objects.filter(pk__in=job_ids, status=JobStatus.QUEUED)
    for job_id in queued.values_list("pk", flat=True):
        # One UPDATE per job, so `job_finished` goes out only for those this one ended.
        if Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.CANCELLED, finished_at=now, error="Cancelled before it started."
        ):
            send_after_commit(job_finished, job_id)


# --- batch schedulers (docs/schedulers.md) ----------------------------------------------


def mark_pending(job_id: JobId, owner: str, *, scheduler_job_id: str) -> bool:
    """starting → pending: the scheduler accepted the job; it waits in its queue."""
    return (
        Job.objects.filter(pk=job_id, lease_owner=owner, status=JobStatus.STARTING).update(
            status=JobStatus.PENDING, scheduler_job_id=scheduler_job_id, heartbeat_at=timezone.now()
        )
        == 1
    )


def mark_started(job_id: JobId, owner: str) -> bool:
    """starting|pending → running: the wrapper started on a node the scheduler chose."""
    now = timezone.now()
    started = Job.objects.filter(
        pk=job_id, lease_owner=owner, status__in=[JobStatus.STARTING, JobStatus.PENDING]
    ).update(
        status=JobStatus.RUNNING,
        started_at=now,
        pending_reason="",
        expected_start_at=None,
        heartbeat_at=now,
    )
    if started:
        send_after_commit(job_started, job_id)
    return started == 1


def set_scheduler_state(
    job_id: JobId, owner: str, *, state: str, reason: str, expected_start: datetime | None
) -> bool:
    """What the scheduler says of an active job: its own state word, why it waits, when
    it expects to start it."""
    return (
        Job.objects.filter(pk=job_id, lease_owner=owner, status__in=ACTIVE_STATUSES).update(
            scheduler_state=state[:32],
            pending_reason=reason[:200],
            expected_start_at=expected_start,
        )
        == 1
    )
