from __future__ import annotations

from django.db import models


class ServerKind(models.TextChoices):
    SSH = "ssh", "SSH"
    LOCAL = "local", "Local (worker host)"
