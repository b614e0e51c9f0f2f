from __future__ import annotations

from django.db import models

from drs.jobs.choices import JobStatus


class Event(models.TextChoices):
    JOB_STARTED = "job.started", "The job started running"
    JOB_FINISHED = "job.finished", "The job reached any final status"
    JOB_FAILED = "job.failed", "The job ended failed, timed out or lost"
    SCHEDULE_FAILED = "schedule.failed", "A schedule could not create its job"
    TEST = "webhook.test", "A test event sent on request"


# What a webhook may subscribe to (the test event goes to whoever asks for it).
SUBSCRIBABLE = [e for e in Event if e != Event.TEST]
SUBSCRIBABLE_CHOICES = [(e.value, e.label) for e in SUBSCRIBABLE]
FAILED_STATUSES = frozenset({JobStatus.FAILED, JobStatus.TIMED_OUT, JobStatus.LOST})


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (no attempts left)"
