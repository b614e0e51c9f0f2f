from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    STARTING = "starting", "Starting"
    # Accepted by a batch scheduler, waiting in its queue (never for `direct` servers).
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    TIMED_OUT = "timed_out", "Timed out"
    LOST = "lost", "Lost"


TERMINAL_STATUSES = frozenset(
    {
        JobStatus.SUCCEEDED,
        JobStatus.FAILED,
        JobStatus.CANCELLED,
        JobStatus.TIMED_OUT,
        JobStatus.LOST,
    }
)
# Active: holds one of its server's max_concurrent_jobs slots and a runner's lease.
ACTIVE_STATUSES = frozenset({JobStatus.STARTING, JobStatus.PENDING, JobStatus.RUNNING})


class LogPolicy(models.TextChoices):
    LIVE = "live", "Live: stream and keep every byte"
    TOTAL = "total", "Total: keep the whole output once the job ends"
    NONE = "none", "None: keep no output"


class Stream(models.TextChoices):
    STDOUT = "stdout", "stdout"
    STDERR = "stderr", "stderr"
