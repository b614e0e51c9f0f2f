"""Websocket routes, behind the Origin and authentication guard (see `auth.py`)."""

from __future__ import annotations

from typing import Any

from channels.routing import URLRouter
from django.urls import path, re_path

from drs.realtime.auth import WebsocketAuthMiddleware, refuse
from drs.realtime.consumers import JobLogConsumer, JobsConsumer


async def unknown_path(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await refuse(receive, send)


websocket_urlpatterns: list[Any] = [
    path("ws/jobs/", JobsConsumer.as_asgi()),
    path("ws/jobs/<uuid:job_id>/logs/", JobLogConsumer.as_asgi()),
    re_path(r"", unknown_path),  # type: ignore[arg-type]  # an ASGI app, as channels allows
]
websocket_application = WebsocketAuthMiddleware(URLRouter(websocket_urlpatterns))
