from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "drs.notifications"

    def ready(self) -> None:
        from drs.notifications import receivers

        receivers.connect()
