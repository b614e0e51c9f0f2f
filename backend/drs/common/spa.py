"""Client-side routes of the SPA all answer with its index.html (assets come from whitenoise)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseNotFound
from django.http.response import HttpResponseBase

# The SPA runs only its own bundled code: no inline script or style, no other origin
# (websockets included: CSP 3 browsers match same-origin ws/wss with 'self'); images may
# be data: URIs (the preview of a result). /api/docs/ (Swagger UI) is served without it.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def spa_index(request: HttpRequest, path: str = "") -> HttpResponseBase:
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponseNotFound(
            "The web interface is not built: run `make run` (or `cd frontend && npm run build`).",
            content_type="text/plain",
        )
    response = FileResponse(index.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
