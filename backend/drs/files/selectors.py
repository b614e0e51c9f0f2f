from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drs.files.models import File


def file_list(*, user: Any) -> QuerySet[File]:
    """Files the user may see: their own; staff see all."""
    files = File.objects.select_related("owner")
    return files if user.is_staff else files.filter(owner=user)
