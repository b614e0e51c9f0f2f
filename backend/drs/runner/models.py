from __future__ import annotations

from django.db import models


class RunnerHeartbeat(models.Model):
    """One row per live runner process: what `/api/health/` and operators look at. A
    graceful stop deletes its row; a killed process's row goes stale and is pruned."""

    owner = models.CharField(max_length=100, primary_key=True)  # the lease owner id
    hostname = models.CharField(max_length=100)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    jobs = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.owner} ({self.jobs} jobs)"
