from __future__ import annotations

from django.db import models


class ServerKind(models.TextChoices):
    SSH = "ssh", "SSH"
    LOCAL = "local", "Local (worker host)"


class SchedulerKind(models.TextChoices):
    """How a job runs on its host: detached there, or submitted to a batch scheduler."""

    DIRECT = "direct", "Direct (detached process on the host)"
    SLURM = "slurm", "Slurm (sbatch)"
