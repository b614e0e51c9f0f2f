"""The real client address behind trusted reverse proxies (`DRS_TRUSTED_PROXIES`).

daphne's own `--proxy-headers` believes `X-Forwarded-For` from any peer, so anyone who
can reach daphne could pick the address the login throttle counts (found in review).
This ASGI middleware replaces the peer address only when the peer is a configured proxy,
and then takes the right-most `X-Forwarded-For` entry that is not a trusted proxy
itself: what the proxies appended, never what the client claimed before them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ASGIApp = Any


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5555"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted(address: str, proxies: Sequence[Network]) -> bool:
    ip = _address(address)
    return ip is not None and any(ip in network for network in proxies)


def real_client(peer: str, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The client address to believe for a request from `peer`."""
    if not proxies or not forwarded_for or not is_trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        ip = _address(hop)
        if ip is None:
            return peer  # a mangled header: fall back to the proxy itself
        if not any(ip in network for network in proxies):
            return str(ip)
    return str(_address(hops[0])) if hops else peer  # every hop is a proxy: the first


class TrustedProxyMiddleware:
    """Rewrites `scope["client"]` (and the scheme, from X-Forwarded-Proto) for requests
    that come from a trusted proxy; everything else is passed through untouched."""

    def __init__(self, app: ASGIApp, proxies: Sequence[Network]) -> None:
        self.app = app
        self.proxies = list(proxies)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        client = scope.get("client")
        if self.proxies and scope["type"] in {"http", "websocket"} and client:
            peer = str(client[0])
            if is_trusted(peer, self.proxies):
                headers = {k.lower(): v for k, v in scope.get("headers", [])}
                forwarded = headers.get(b"x-forwarded-for")
                address = real_client(
                    peer, forwarded.decode("latin-1") if forwarded else None, self.proxies
                )
                scope = dict(scope, client=[address, 0])
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
                if proto in {"http", "https"} and scope["type"] == "http":
                    scope["scheme"] = proto
                elif proto in {"http", "https"}:
                    scope["scheme"] = "wss" if proto == "https" else "ws"
        return await self.app(scope, receive, send)
