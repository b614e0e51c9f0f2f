from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class RunnerConfig(AppConfig):
    name = "drs.runner"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        post_spawn.connect(on_worker_spawn, dispatch_uid="drs.runner.reaper")


REAPER_SCHEDULE = "drs-reaper"


def on_worker_spawn(sender: Any, **kwargs: Any) -> None:
    """qcluster (re)started a worker: make sure the reaper is scheduled, and reap now so
    jobs orphaned while no cluster ran are picked up without waiting for the scheduler."""
    import logging

    from django.db import DatabaseError
    from django_q.models import Schedule

    from drs.runner.lease import reap

    try:
        try:
            Schedule.objects.update_or_create(
                name=REAPER_SCHEDULE,
                defaults={
                    "func": "drs.jobs.tasks.reap",
                    "schedule_type": Schedule.MINUTES,
                    "minutes": 1,
                    "repeats": -1,
                },
            )
        except Schedule.MultipleObjectsReturned:
            # Workers spawned at once race update_or_create (Schedule.name is not unique)
            # into duplicate rows, after which every spawn raised here and the worker died
            # in a loop (found by `make bench`). Keep the oldest row.
            extra = Schedule.objects.filter(name=REAPER_SCHEDULE).order_by("pk")[1:]
            Schedule.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()
        reap()
    except DatabaseError:
        logging.getLogger(__name__).warning("reaper at worker start failed", exc_info=True)
