from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    STARTING = "starting", "Starting"
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
ACTIVE_STATUSES = frozenset({JobStatus.STARTING, JobStatus.RUNNING})


class LogPolicy(models.TextChoices):
    LIVE = "live", "Live: stream and keep every byte"
    TOTAL = "total", "Total: keep the whole output once the job ends"
    NONE = "none", "None: keep no output"


class Stream(models.TextChoices):
    STDOUT = "stdout", "stdout"
    STDERR = "stderr", "stderr"
