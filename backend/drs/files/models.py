from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


def file_upload_to(instance: File, filename: str) -> str:
    return f"uploads/{instance.owner_id}/{uuid.uuid4().hex}"


class File(models.Model):
    """A user's upload: bytes kept in Django storage, staged into jobs as inputs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    blob = models.FileField(upload_to=file_upload_to, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # The list reads newest first by (created_at, id) keyset (common/pagination.py).
        indexes = [
            models.Index(fields=["owner", "-created_at", "id"], name="file_owner_created_id"),
            models.Index(fields=["-created_at", "id"], name="file_created_id"),
        ]

    def __str__(self) -> str:
        return self.name
