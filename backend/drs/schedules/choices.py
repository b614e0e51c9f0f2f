from __future__ import annotations

from django.db import models


class Overlap(models.TextChoices):
    SKIP = "skip", "Skip a run while the previous run's job has not ended"
    ALLOW = "allow", "Create the job anyway"


class RunOutcome(models.TextChoices):
    CREATED = "created", "Job created"
    SKIPPED = "skipped", "Skipped: the previous job was still running"
    FAILED = "failed", "Could not create the job"
