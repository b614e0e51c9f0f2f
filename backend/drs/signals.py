"""Signals for host projects and DRS's own apps (docs/embedding.md).

Both are sent with `sender=Job` and `job=` (loaded with its owner, server and
interpreter), once per job, after the transition's commit, from whichever process made
it (a runner, a web request cancelling a queued job). Receivers must be quick and must not
fail: hand slow work (HTTP, mail) to a queue, as `drs.notifications` does."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import Signal

log = logging.getLogger("drs.signals")

job_started = Signal()  # the job runs on its host (`running`)
job_finished = Signal()  # the job reached a final status (TERMINAL_STATUSES)


def send_after_commit(signal: Signal, job_id: Any) -> None:
    """Send SIGNAL for the job once the current transaction commits (at once in
    autocommit). A receiver's exception is logged, never raised into the caller: a
    runner's transition is done whatever a receiver does."""
    from django.db import transaction

    transaction.on_commit(lambda: _send(signal, job_id))


def _send(signal: Signal, job_id: Any) -> None:
    from drs.jobs.models import Job

    if not signal.has_listeners(Job):
        return
    job = Job.objects.select_related("owner", "server", "interpreter").filter(pk=job_id).first()
    if job is None:
        return
    for receiver, result in signal.send_robust(sender=Job, job=job):
        if isinstance(result, Exception):
            log.error("job %s: signal receiver %r failed", job_id, receiver, exc_info=result)
