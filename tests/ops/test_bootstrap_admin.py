"""`bootstrap_admin`: created once; a second run names `--reset`, which sets a new password."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("bootstrap_admin", *args, stdout=out)
    return out.getvalue()


def test_second_run_names_reset_and_reset_sets_a_new_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DRS_ADMIN_USER", "root-admin")
    monkeypatch.delenv("DRS_ADMIN_PASSWORD", raising=False)
    first = run().split("password: ")[1].split()[0]
    admin = get_user_model().objects.get(username="root-admin")
    assert admin.check_password(first) and admin.is_superuser

    again = run()
    assert "exists" in again and "bootstrap_admin --reset" in again
    assert get_user_model().objects.get(username="root-admin").check_password(first)

    second = run("--reset").split("password: ")[1].split()[0]
    assert second != first
    admin.refresh_from_db()
    assert admin.check_password(second) and not admin.check_password(first)

    monkeypatch.setenv("DRS_ADMIN_PASSWORD", "chosen by the operator")
    assert "from DRS_ADMIN_PASSWORD" in run("--reset")
    admin.refresh_from_db()
    assert admin.check_password("chosen by the operator")
    assert get_user_model().objects.filter(username="root-admin").count() == 1
