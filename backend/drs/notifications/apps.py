from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "drs.notifications"

    def ready(self) -> None:
        from drs.jobs.defaults import register_notify_email_default
        from drs.notifications import receivers, services

        receivers.connect()
        register_notify_email_default(services.notify_email_default)
