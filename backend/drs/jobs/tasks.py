"""django-q2 entry points: thin adapters into the runner. Arguments are ids only."""

from __future__ import annotations

from django_q.tasks import async_task


def enqueue_job(job_id: object) -> None:
    async_task("drs.jobs.tasks.run_job", str(job_id))


def run_job(job_id: str) -> None:
    from drs.runner.engine import run_job as run

    run(job_id)


def reap() -> None:
    """Scheduled (and run at qcluster start): re-enqueue jobs nobody is running."""
    from drs.runner.lease import reap as run_reaper

    run_reaper()
