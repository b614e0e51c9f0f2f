from django.db import models


class FinishedJob(models.Model):
    """What the host keeps when DRS tells it a job ended (lab/apps.py)."""

    job_id = models.UUIDField(unique=True)
    status = models.CharField(max_length=20)
    owner = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"{self.job_id} {self.status}"
