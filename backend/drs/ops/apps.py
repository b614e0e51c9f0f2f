from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations on top of every other app: health checks, Prometheus metrics, and the
    commands that set an installation up (`bootstrap_admin`, `demo_setup`, `health`)."""

    name = "drs.ops"
    label = "drs_ops"
