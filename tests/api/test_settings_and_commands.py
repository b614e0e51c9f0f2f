from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from drs.credentials import crypto
from drs.credentials.models import Credential
from tests import factories

BACKEND = Path(__file__).resolve().parents[2] / "backend"


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DRS_", "DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, str(BACKEND / "manage.py"), *args],
        env=clean | {"DJANGO_SETTINGS_MODULE": "drs_site.settings"} | env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_secrets_are_generated_once_with_mode_0600(tmp_path: Path) -> None:
    run = run_manage("check", env={"DRS_DATA_DIR": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    for name in ("secret_key", "credentials_key"):
        path = tmp_path / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        first = path.read_text()
        assert run_manage("check", env={"DRS_DATA_DIR": str(tmp_path)}).returncode == 0
        assert path.read_text() == first
    Fernet(first.strip().encode())  # a usable key


def test_check_deploy_is_clean_over_https(tmp_path: Path) -> None:
    env = {
        "DRS_DATA_DIR": str(tmp_path),
        "DRS_HTTPS": "1",
        "DRS_SECRET_KEY": Fernet.generate_key().decode() * 2,
    }
    run = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert run.returncode == 0, run.stdout + run.stderr


def test_bad_setting_is_a_clear_error(tmp_path: Path) -> None:
    run = run_manage("check", env={"DRS_DATA_DIR": str(tmp_path), "DRS_WORKERS": "many"})
    assert run.returncode != 0
    assert "DRS_WORKERS must be an integer" in run.stderr


@pytest.mark.django_db
def test_credential_key_rotation(owner: Any, settings: Any) -> None:
    cred = factories.credential(owner, factories.server(), password="rotate-me")
    old_token = Credential.objects.get().password_encrypted
    new_key = Fernet.generate_key().decode()
    settings.DRS_CREDENTIALS_KEYS = [new_key, *settings.DRS_CREDENTIALS_KEYS]
    crypto._fernet.cache_clear()
    try:
        call_command("rotate_credentials", verbosity=0)
        cred.refresh_from_db()
        assert cred.password_encrypted != old_token
        assert Fernet(new_key.encode()).decrypt(cred.password_encrypted.encode()) == b"rotate-me"
        settings.DRS_CREDENTIALS_KEYS = [new_key]  # the old key can go now
        crypto._fernet.cache_clear()
        assert cred.get_secrets().password == "rotate-me"
    finally:
        crypto._fernet.cache_clear()
