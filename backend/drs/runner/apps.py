from __future__ import annotations

from django.apps import AppConfig


class RunnerConfig(AppConfig):
    name = "drs.runner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from drs.runner import services
        from drs.servers import hosts

        # The host actions the apps below the runner call (drs/servers/hosts.py).
        hosts.register(services)
