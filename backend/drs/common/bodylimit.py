"""Request body limits, per view, enforced before a body is read.

Every request body has a limit: `DRS_MAX_REQUEST_BYTES` (1 MiB) unless its view raises
(or lowers) it. A view declares its own limit with a `max_body_bytes` callable taking no
argument, read at request time so that settings overrides apply::

    class FileUploadView(APIView):
        # Uploads are streamed to disk by the multipart parser: let them be large.
        max_body_bytes = staticmethod(lambda: settings.DRS_MAX_UPLOAD_BYTES)

The same policy acts in two places:

- in daphne (`install_daphne_guard`, from the site's asgi module): a `Content-Length` over the
  limit is answered 413 as soon as the headers arrive, and a body sent without one
  (chunked) is cut off with 413 the moment it passes the limit. Nothing of it reaches
  the application: daphne would otherwise queue the whole body in memory, in 8 KiB
  chunks, before the application could refuse it.
- in Django (`BodyLimitMiddleware`), for any other server and for the test client: a
  declared length over the limit is refused before the view reads the body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve


def max_body_bytes(path: str) -> int:
    """The body limit of the view that serves `path` (the default when none matches)."""
    try:
        match = resolve(path)
    except Resolver404:
        return int(settings.DRS_MAX_REQUEST_BYTES)
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    limit = getattr(view_class, "max_body_bytes", None) or getattr(
        match.func, "max_body_bytes", None
    )
    return int(limit()) if callable(limit) else int(settings.DRS_MAX_REQUEST_BYTES)


def too_large_detail(limit: int) -> dict[str, str]:
    return {"detail": f"Request body too large: the limit here is {limit} bytes."}


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
        if length > 0:
            limit = max_body_bytes(request.path_info)
            if length > limit:
                return JsonResponse(too_large_detail(limit), status=413)
        return self.get_response(request)


def install_daphne_guard() -> None:
    """Make daphne build its requests with the limit above (idempotent)."""
    from daphne import http_protocol

    if getattr(http_protocol.WebRequest, "drs_bounded", False):
        return
    base: Any = http_protocol.WebRequest

    class BoundedWebRequest(base):
        drs_bounded = True
        limit = 0
        received = 0
        refused = False

        def gotLength(self, length: int | None) -> None:
            raw_path = bytes(getattr(self.channel, "_path", b"/") or b"/")
            path = unquote(raw_path.split(b"?", 1)[0].decode("latin-1"))
            self.limit = max_body_bytes(path)
            super().gotLength(length)
            if length is not None and length > self.limit:
                self.refuse()

        def handleContentChunk(self, data: bytes) -> None:
            if self.refused:
                return
            self.received += len(data)
            if self.received > self.limit:
                self.refuse()
                return
            super().handleContentChunk(data)

        def process(self) -> Any:
            if self.refused:
                return None
            return super().process()

        def refuse(self) -> None:
            """Answer 413 and close: the rest of the body is never read."""
            self.refused = True
            # Twisted would send "100 Continue" after this answer otherwise.
            self.requestHeaders.removeHeader(b"Expect")
            body = json.dumps(too_large_detail(self.limit)).encode()
            head = (
                b"HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
                b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body)
            )
            self.channel.transport.write(head + body)
            self.channel.loseConnection()

    http_protocol.WebRequest = BoundedWebRequest
