from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """An API token: only its SHA-256 digest is stored, so the database (or the admin, where
    tokens are not registered) never holds a usable key. The key is shown once, at creation.

    A token stops working when it expires, when its owner revokes it (the row is deleted),
    and when its owner's password changes (`auth_hash` is Django's session hash of the
    password, the same check that ends a user's sessions then)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The key's first characters, to tell it.")
    digest = models.CharField(max_length=64, unique=True)
    auth_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
