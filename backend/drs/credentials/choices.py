from __future__ import annotations

from django.db import models


class CredentialKind(models.TextChoices):
    KEY = "key", "Private key"
    PASSWORD = "password", "Password"
