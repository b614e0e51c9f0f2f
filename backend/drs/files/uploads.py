"""Uploads streamed to storage: the multipart body goes chunk by chunk into a temporary
file next to the storage's own files (so saving it is a rename, not a copy), hashed on
the way, and refused with 413 once it passes DRS_MAX_UPLOAD_BYTES."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from rest_framework import status
from rest_framework.exceptions import APIException

UPLOAD_PATH = "/api/files/"
# Room for the multipart framing and the `name` field around the file's bytes.
MULTIPART_SLACK = 64 * 1024


class UploadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(too_large_message(limit))


def too_large_message(limit: int) -> str:
    return f"The upload is larger than {limit} bytes (DRS_MAX_UPLOAD_BYTES)."


def body_limit() -> int:
    """The most bytes an upload request body may hold."""
    return int(settings.DRS_MAX_UPLOAD_BYTES) + MULTIPART_SLACK


def declared_length(meta: MutableMapping[str, Any]) -> int | None:
    try:
        return int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def partial_directory() -> str | None:
    """Where partial uploads are written: inside the storage's tree when it is on this
    disk (saving is then a rename), else the system's temporary directory."""
    if isinstance(default_storage, FileSystemStorage):
        directory = Path(default_storage.location) / "uploads" / ".partial"
        directory.mkdir(parents=True, exist_ok=True)
        return str(directory)
    return None


class PartialUpload(TemporaryUploadedFile):
    """A TemporaryUploadedFile in a directory of our choosing, with the digest of its bytes."""

    def __init__(self, name: str, content_type: str, charset: str | None, extra: Any) -> None:
        file = tempfile.NamedTemporaryFile(suffix=".upload", dir=partial_directory())  # noqa: SIM115 (closed by the upload)
        UploadedFile.__init__(self, file, name, content_type, 0, charset, extra)
        self.sha256 = ""


class HashingUploadHandler(FileUploadHandler):
    """Takes the `file` part only; every other file part is refused by the serializer."""

    chunk_size = 1024 * 1024

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.upload: PartialUpload | None = None
        self.digest = hashlib.sha256()

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.upload = PartialUpload(
            file_name, self.content_type or "application/octet-stream", self.charset,
            self.content_type_extra,
        )  # fmt: skip
        self.digest = hashlib.sha256()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.upload_interrupted()
            raise UploadTooLarge(self.limit)
        assert self.upload is not None
        self.digest.update(raw_data)
        self.upload.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        upload, self.upload = self.upload, None
        assert upload is not None
        upload.seek(0)
        upload.size = file_size
        upload.sha256 = self.digest.hexdigest()
        return upload

    def upload_interrupted(self) -> None:
        if self.upload is not None:
            self.upload.close()  # deletes the temporary file
            self.upload = None


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class UploadBodyLimit:
    """ASGI: an upload whose declared Content-Length passes the cap is answered 413 before
    a byte of its body is read (Django would otherwise spool the whole body to disk before
    any view runs). Bodies without a length are counted by the upload handler."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == UPLOAD_PATH:
            for key, value in scope.get("headers", []):
                if key == b"content-length" and value.isdigit() and int(value) > body_limit():
                    await _refuse(send)
                    return
        await self.app(scope, receive, send)


async def _refuse(send: Send) -> None:
    body = json.dumps({"detail": too_large_message(settings.DRS_MAX_UPLOAD_BYTES)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
