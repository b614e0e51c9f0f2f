from django.apps import AppConfig


class RunnerConfig(AppConfig):
    name = "drs.runner"
