from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "drs.common"
    label = "drs_common"
