from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class DrsConfig(AppConfig):
    """The package itself: no models, only DRS's settings defaults."""

    name = "drs"
    verbose_name = "DRS"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Here rather than in ready(): the apps after this one read settings while Django
        # imports them (django_q reads Q_CLUSTER when its app config is imported).
        import django_stubs_ext

        from drs import conf

        conf.install()
        # Lets DRS's admin and querysets take type parameters at run time
        # (ModelAdmin[Server]), in any host project.
        django_stubs_ext.monkeypatch()
