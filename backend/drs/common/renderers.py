"""Renderers for views that answer with raw bytes (logs, result files, uploads)."""

from __future__ import annotations

import json
from typing import Any

from rest_framework import renderers


class PlainTextRenderer(renderers.BaseRenderer):
    """Lets `Accept: text/plain` reach the raw-log view; errors still render as JSON text."""

    media_type = "text/plain"
    format = "txt"
    charset: str | None = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class BinaryRenderer(PlainTextRenderer):
    media_type = "application/octet-stream"
    format = "bin"
    charset = None
