from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "drs.common"
    label = "drs_common"

    def ready(self) -> None:
        from drs.common.dbpool import register_fork_handler

        register_fork_handler()
