"""Websocket handshake guard: Origin check and authentication, before any consumer runs.

Rules (docs/api.md "Websockets"):
- An `Origin` header, when present (browsers always send one), must name an allowed host
  (`ALLOWED_HOSTS`, any port); otherwise the handshake is refused.
- `Authorization: Token <key>` authenticates any client. Without it, the session cookie
  authenticates, but only for a request that carries an allowed Origin: a client without
  Origin (a script, a CLI) must use the token header.
- Tokens are never read from the URL.

A refused handshake is a `websocket.close` before `websocket.accept`, which daphne turns
into an HTTP 403; nothing is ever sent over such a connection.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from channels.auth import get_user
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

Scope = dict[str, Any]
ASGIApp = Any


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header, decoded as latin-1 (as HTTP headers are)."""
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def origin_allowed(origin: str) -> bool:
    """Whether an Origin header names an allowed host; its port does not matter."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if "@" in parts.netloc:
        return False
    domain, _port = split_domain_port(parts.netloc)
    if not domain:
        return False
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        # Django's own default for DEBUG with empty ALLOWED_HOSTS.
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return validate_host(domain, allowed)


def token_key(authorization: str) -> str | None:
    """The key of an `Authorization: Token <key>` header; None for other schemes or junk."""
    parts = authorization.split()
    if len(parts) != 2 or parts[0].lower() != "token":
        return None
    return parts[1]


@database_sync_to_async
def user_for_token(key: str) -> Any:
    """The same check as the REST API's (expiry, revocation, password change)."""
    from drs.tokens.services import token_authenticate

    found = token_authenticate(key)
    return AnonymousUser() if found is None else found[0]


@database_sync_to_async
def load_session(session_key: str) -> Any:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    session = engine(session_key)
    session.load()
    return session


async def user_for_session(scope: Scope) -> Any:
    cookies = parse_cookie(header(scope, b"cookie") or "")
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return AnonymousUser()
    session = await load_session(session_key)
    return await get_user({"session": session})


async def refuse(receive: Any, send: Any) -> None:
    """Close before accepting: daphne answers the handshake with 403 and sends nothing."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close"})


class WebsocketAuthMiddleware:
    """Checks Origin, authenticates by token header or session cookie, puts the user in
    `scope["user"]`, and refuses anonymous handshakes before the router runs."""

    def __init__(self, inner: ASGIApp) -> None:
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            return await self.inner(scope, receive, send)
        origin = header(scope, b"origin")
        if origin is not None and not origin_allowed(origin):
            log.info("websocket %s refused: origin %r not allowed", scope.get("path"), origin)
            return await refuse(receive, send)
        user = await self.authenticate(scope, has_origin=origin is not None)
        if not user.is_authenticated:
            return await refuse(receive, send)
        return await self.inner(dict(scope, user=user), receive, send)

    async def authenticate(self, scope: Scope, *, has_origin: bool) -> Any:
        authorization = header(scope, b"authorization")
        if authorization is not None:
            # A token header that does not authenticate never falls back to the cookie.
            key = token_key(authorization)
            return await user_for_token(key) if key else AnonymousUser()
        if has_origin:
            return await user_for_session(scope)
        return AnonymousUser()
