"""`GET /api/health/` and `GET /metrics`: plain Django views (no DRF auth or throttles).

Health needs no authentication and shows no secrets. Metrics are protected
(docs/operations.md): a request needs `Authorization: Bearer <DRS_METRICS_TOKEN>`, or must come
from an address in `DRS_METRICS_ALLOW`, or from loopback. The client address is the one
daphne and the trusted-proxy middleware settled on (`DRS_TRUSTED_PROXIES`), never a header
the client chose.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from drs.common import health

log = logging.getLogger(__name__)


async def health_view(request: HttpRequest) -> HttpResponse:
    """200 when every check passes, else 503; `?checks=database,workers` picks checks."""
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"detail": f'Method "{request.method}" not allowed.'}, status=405)
    try:
        names = health.parse_names(request.GET.get("checks"))
    except ValueError as exc:
        return JsonResponse({"checks": [str(exc)]}, status=400)
    report = await health.arun_checks(names)
    failed = [name for name, result in report["checks"].items() if not result["ok"]]
    if failed:
        log.warning("health check failed: %s", ", ".join(failed))
    body = {"status": "ok" if report["ok"] else "fail", "failed": failed, **report}
    response = JsonResponse(body, status=200 if report["ok"] else 503)
    response["Cache-Control"] = "no-store"
    return response


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.DRS_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if client.is_loopback:
        return True
    return any(client in network for network in settings.DRS_METRICS_ALLOW)


def _render() -> tuple[bytes, str]:
    from django.db import close_old_connections

    from drs.common import metrics

    try:
        return metrics.render()
    finally:
        close_old_connections()


async def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    if not metrics_allowed(request):
        return HttpResponse(
            "Forbidden: send Authorization: Bearer <DRS_METRICS_TOKEN>, or scrape from an "
            "address in DRS_METRICS_ALLOW.\n",
            status=403,
            content_type="text/plain",
        )
    body, content_type = await sync_to_async(_render)()
    return HttpResponse(body, content_type=content_type)
