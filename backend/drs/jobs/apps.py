from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "drs.jobs"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        from drs.jobs.retention import ensure_schedule

        # Every qcluster (re)start makes sure the hourly retention schedule exists.
        post_spawn.connect(ensure_schedule, dispatch_uid="drs.jobs.retention")
