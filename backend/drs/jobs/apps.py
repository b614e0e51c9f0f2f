from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "drs.jobs"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        from drs.credentials.services import register_in_use_check
        from drs.jobs.retention import ensure_schedule
        from drs.jobs.services import refuse_credential_in_use

        # A credential that unfinished jobs use cannot be deleted.
        register_in_use_check(refuse_credential_in_use)
        # Every qcluster (re)start makes sure the hourly retention schedule exists.
        post_spawn.connect(ensure_schedule, dispatch_uid="drs.jobs.retention")
