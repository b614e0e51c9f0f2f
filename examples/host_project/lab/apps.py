from typing import Any

from django.apps import AppConfig


def record_finished_job(sender: Any, *, job: Any, **kwargs: Any) -> None:
    """Runs in whichever DRS process ended the job (a runner of `manage.py workers`, or
    the web process for a job cancelled while queued): keep it quick."""
    from lab.models import FinishedJob

    FinishedJob.objects.update_or_create(
        job_id=job.pk, defaults={"status": job.status, "owner": job.owner.username}
    )


class LabConfig(AppConfig):
    name = "lab"

    def ready(self) -> None:
        from drs.signals import job_finished

        job_finished.connect(record_finished_job, dispatch_uid="lab.record_finished_job")
