from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "drs.realtime"

    def ready(self) -> None:
        from drs.jobs import events
        from drs.realtime import broadcast

        # Job status changes reach websockets through the channel layer.
        events.subscribe(broadcast)
