"""DRS's websocket routes, for the host's ASGI router (its `URLRouter`, under any prefix).

Each route carries its own guard (`realtime/auth.py`: Origin check, then `Authorization:
Token` or the session cookie), so a host needs no authentication middleware of its own
for them. `websocket_application` is the whole websocket side of DRS's own site: these
routes and a refusal for any other path."""

from __future__ import annotations

from typing import Any

from channels.routing import URLRouter
from django.urls import path, re_path

from drs.realtime.auth import WebsocketAuthMiddleware, refuse
from drs.realtime.consumers import JobLogConsumer, JobsConsumer


async def unknown_path(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await refuse(receive, send)


websocket_urlpatterns: list[Any] = [
    path("ws/jobs/", WebsocketAuthMiddleware(JobsConsumer.as_asgi())),
    path("ws/jobs/<uuid:job_id>/logs/", WebsocketAuthMiddleware(JobLogConsumer.as_asgi())),
]
websocket_application = URLRouter(
    [*websocket_urlpatterns, re_path(r"", unknown_path)]  # type: ignore[arg-type]  # an ASGI app, as channels allows
)
