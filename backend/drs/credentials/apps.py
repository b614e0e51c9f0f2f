from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "drs.credentials"
