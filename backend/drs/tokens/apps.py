from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "drs.tokens"
    label = "drs_tokens"
    verbose_name = "API tokens"
