"""Retention: what DRS removes by itself, on a django-q2 schedule (docs/operations.md "Retention").

- Remote job directories of jobs that finished more than DRS_REMOTE_RETENTION_DAYS ago
  (default 7) are removed from their hosts; the job's `remote_directory` is then cleared.
  An unreachable host is retried on the next run.
- With DRS_JOB_RETENTION_DAYS set, finished jobs older than that are deleted entirely
  (job, log, result files, remote directory), as `DELETE /api/jobs/{id}/` does; a job
  whose results a later job uses as inputs is kept while that job exists.
- With DRS_FILE_RETENTION_DAYS set, uploads older than that which no job uses as an
  input are deleted.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from drs.common.exceptions import Conflict, DomainError
from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job

log = logging.getLogger(__name__)

RETENTION_SCHEDULE = "drs-retention"
# One run removes at most this many directories: a backlog drains over a few runs
# instead of one run holding a worker for hours.
BATCH = 500


def remove_old_remote_directories(now: Any = None) -> dict[str, int]:
    from drs.runner.services import remove_remote_directory

    cutoff = (now or timezone.now()) - timedelta(days=settings.DRS_REMOTE_RETENTION_DAYS)
    jobs = (
        Job.objects.filter(status__in=TERMINAL_STATUSES, finished_at__lt=cutoff)
        .exclude(remote_directory="")
        .select_related("server", "credential")
        .order_by("finished_at")[:BATCH]
    )
    removed = failed = 0
    unreachable: set[int] = set()  # a host that failed once is not retried in this run
    for job in jobs:
        if job.server_id in unreachable:
            failed += 1
            continue
        try:
            remove_remote_directory(job)
        except DomainError as exc:
            failed += 1
            if job.server.kind != "local":
                unreachable.add(job.server_id)
            log.warning("retention: job %s directory kept: %s", job.pk, exc.message)
            continue
        Job.objects.filter(pk=job.pk, remote_directory=job.remote_directory).update(
            remote_directory=""
        )
        removed += 1
    return {"removed": removed, "failed": failed}


def delete_old_jobs(now: Any = None) -> int:
    from drs.jobs.services import job_delete

    days = settings.DRS_JOB_RETENTION_DAYS
    if days is None:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = Job.objects.filter(status__in=TERMINAL_STATUSES, finished_at__lt=cutoff).select_related(
        "server", "credential"
    )
    deleted = 0
    for job in old.order_by("finished_at")[:BATCH]:
        try:
            job_delete(job=job)
        except Conflict:
            continue  # a later job uses its results as inputs: kept while that job exists
        deleted += 1
    return deleted


def delete_unused_files() -> int:
    from drs.files.services import delete_unused_files

    return delete_unused_files()


def run_retention() -> dict[str, int]:
    """The scheduled task (hourly)."""
    counts = remove_old_remote_directories()
    counts["jobs_deleted"] = delete_old_jobs()
    counts["files_deleted"] = delete_unused_files()
    if any(counts.values()):
        log.info("retention: %s", counts)
    return counts


def ensure_schedule(sender: Any = None, **kwargs: Any) -> None:
    """Register the hourly schedule (idempotent; called when a qcluster worker starts)."""
    from django_q.models import Schedule

    try:
        rows = Schedule.objects.filter(name=RETENTION_SCHEDULE).order_by("pk")
        if rows.exists():
            # Workers spawning at once can race into duplicates (Schedule.name is not
            # unique, see runner/apps.py): keep the oldest.
            extra = list(rows.values_list("pk", flat=True)[1:])
            if extra:
                Schedule.objects.filter(pk__in=extra).delete()
            return
        Schedule.objects.create(
            name=RETENTION_SCHEDULE,
            func="drs.jobs.retention.run_retention",
            schedule_type=Schedule.HOURLY,
            repeats=-1,
        )
    except DatabaseError:
        log.warning("could not register the retention schedule", exc_info=True)
