from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "drs.jobs"
