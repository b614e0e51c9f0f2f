from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from drs.applications.models import Application, Sweep
from drs.jobs.models import Job


def application_list(*, user: Any) -> QuerySet[Application]:
    """Everyone reads applications; disabled ones only staff see."""
    apps = Application.objects.select_related("interpreter").prefetch_related("servers")
    return apps if user.is_staff else apps.filter(enabled=True)


def sweep_list(*, user: Any) -> QuerySet[Sweep]:
    """Sweeps the user may see: their own; staff see all."""
    sweeps = Sweep.objects.select_related("application", "server")
    return sweeps if user.is_staff else sweeps.filter(owner=user)


def sweep_status_counts(*, sweep: Sweep) -> dict[str, int]:
    rows = (
        Job.objects.filter(sweep=sweep)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return dict(rows)
