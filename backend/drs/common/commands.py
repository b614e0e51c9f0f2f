"""How DRS's supervising commands (`serve`, `workers`) start their children: the same
project's management commands, in DRS's own site or in any host project."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings


def _manage_py() -> Path | None:
    script = Path(sys.argv[0])
    return script.resolve() if script.name == "manage.py" and script.is_file() else None


def manage_command(*args: str) -> list[str]:
    """A child running `manage.py ARGS` of this project: the manage.py that started this
    process, or `python -m django` (DJANGO_SETTINGS_MODULE and the import path are
    inherited through the environment)."""
    manage = _manage_py()
    prefix = [sys.executable, str(manage)] if manage else [sys.executable, "-m", "django"]
    return [*prefix, *args]


def project_dir() -> Path:
    """The directory the project's own modules import from: manage.py's."""
    manage = _manage_py()
    return manage.parent if manage else Path.cwd()


def asgi_application() -> str:
    """ASGI_APPLICATION ("module.attr") as daphne names it ("module:attr")."""
    module, _, attr = str(settings.ASGI_APPLICATION).rpartition(".")
    return f"{module}:{attr}"
