from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "drs.schedules"
