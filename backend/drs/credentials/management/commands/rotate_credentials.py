"""Re-encrypt every stored secret with the newest DRS_CREDENTIALS_KEY.

Rotation: prepend a new key (`DRS_CREDENTIALS_KEY=new,old`), restart, run this, then drop
the old key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from drs.credentials import crypto
from drs.credentials.models import Credential

FIELDS = ["private_key_encrypted", "passphrase_encrypted", "password_encrypted"]


class Command(BaseCommand):
    help = "Re-encrypt all credential secrets with the first DRS_CREDENTIALS_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for credential in Credential.objects.select_for_update().only("pk", *FIELDS):
                for field in FIELDS:
                    setattr(credential, field, crypto.rotate(getattr(credential, field)))
                credential.save(update_fields=FIELDS)
                count += 1
        self.stdout.write(f"Re-encrypted {count} credential(s).")
