"""Create the first admin from DRS_ADMIN_USER / DRS_ADMIN_PASSWORD, or print a generated one."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin user once; prints the password when it was generated."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username = os.environ.get("DRS_ADMIN_USER", "admin")
        password = os.environ.get("DRS_ADMIN_PASSWORD", "")
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin user {username!r} exists.")
            return
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        from drs.applications.demo import ensure_demo_application

        ensure_demo_application()  # something to launch within a minute of signing in
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin {username!r} with password: {password}\n"
                    "It is shown only this once; set DRS_ADMIN_PASSWORD to choose your own."
                )
            )
        else:
            self.stdout.write(f"Created admin {username!r} from DRS_ADMIN_PASSWORD.")
