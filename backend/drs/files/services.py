from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import RestrictedError
from django.utils import timezone

from drs.common.exceptions import Conflict, DomainError
from drs.files.models import File
from drs.files.uploads import PartialUpload

log = logging.getLogger(__name__)

# One retention run deletes at most this many files; a backlog drains over a few runs.
BATCH = 500


def file_create(*, owner: Any, upload: PartialUpload, name: str = "") -> File:
    """Store an upload the handler already hashed: a rename when storage is this disk."""
    name = name or upload.name or "upload"
    if "\0" in name or "/" in name or name in {".", ".."}:
        raise DomainError("A file name without '/', NUL, '.' or '..'.", field="name")
    file = File(owner=owner, name=name, size=upload.size or 0, sha256=upload.sha256)
    try:
        file.blob.save(file.id.hex, upload, save=False)
    finally:
        # Saving renamed the partial file away: closing now, not at garbage collection,
        # lets the upload ignore that its temporary file is gone.
        upload.close()
    try:
        file.save()
    except BaseException:
        default_storage.delete(file.blob.name)
        raise
    return file


def file_delete(*, file: File) -> None:
    blob = file.blob.name
    try:
        with transaction.atomic():
            file.delete()
            transaction.on_commit(lambda: _delete_blob(blob))
    except RestrictedError:
        raise Conflict(
            "Jobs use this file as an input: it is kept while they exist. Delete those jobs first."
        ) from None


def _delete_blob(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        log.warning("could not delete uploaded file %s", name)


def delete_unused_files(now: Any = None) -> int:
    """Retention: uploads older than DRS_FILE_RETENTION_DAYS that no job uses as an input
    (files jobs use are kept while those jobs exist)."""
    days = settings.DRS_FILE_RETENTION_DAYS
    if days is None:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = File.objects.filter(created_at__lt=cutoff, job_inputs__isnull=True)
    deleted = 0
    for file in old.order_by("created_at")[:BATCH]:
        try:
            file_delete(file=file)
        except Conflict:
            continue  # a job took it as an input meanwhile
        deleted += 1
    return deleted
