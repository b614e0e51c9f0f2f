"""Create the first admin from DRS_ADMIN_USER / DRS_ADMIN_PASSWORD, or print a generated one;
`--reset` sets a new password for an admin that exists (a forgotten one)."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from drs.applications.demo import ensure_demo_application


class Command(BaseCommand):
    help = (
        "Create the admin user once; prints the password when it was generated. "
        "--reset gives an existing admin a new password (DRS_ADMIN_PASSWORD, or generated)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="set a new password for the existing admin (and make it active staff again)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username = os.environ.get("DRS_ADMIN_USER", "admin")
        password = os.environ.get("DRS_ADMIN_PASSWORD", "")
        existing = User.objects.filter(username=username).first()
        if existing is not None and not options["reset"]:
            self.stdout.write(
                f"Admin user {username!r} exists. Forgot its password? "
                "Run `.venv/bin/python backend/manage.py bootstrap_admin --reset` "
                "(uses DRS_ADMIN_PASSWORD, or prints a new one)."
            )
            return
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        if existing is not None:
            existing.set_password(password)
            existing.is_active = existing.is_staff = existing.is_superuser = True
            existing.save()
            verb = "Reset the password of"
        else:
            User.objects.create_superuser(username=username, email="", password=password)
            verb = "Created"
        ensure_demo_application()  # something to launch within a minute of signing in
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"{verb} admin {username!r}, password: {password}\n"
                    "It is shown only this once; set DRS_ADMIN_PASSWORD to choose your own."
                )
            )
        else:
            self.stdout.write(f"{verb} admin {username!r} from DRS_ADMIN_PASSWORD.")
