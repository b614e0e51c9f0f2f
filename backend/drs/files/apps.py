from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "drs.files"
