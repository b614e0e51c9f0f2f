"""The SSRF guard for webhook URLs: http(s) only, and the host must resolve to a public
address unless its network is listed in DRS_ALLOWED_WEBHOOK_NETWORKS. Checked when a
webhook is saved and again before each attempt (DNS answers change); the sender then
connects to the address checked here, never to a second lookup's answer."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings


class RefusedURL(ValueError):
    """The URL may not be used; the message says why and how to allow it."""


@dataclass(frozen=True)
class Target:
    url: SplitResult
    host: str  # as written in the URL (Host header, TLS server name)
    port: int
    address: str  # the checked IP to connect to


def parse(url: str) -> tuple[SplitResult, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedURL("Not a valid URL.") from None
    if parts.scheme not in {"http", "https"}:
        raise RefusedURL("Only http:// and https:// URLs can receive webhooks.")
    if not parts.hostname:
        raise RefusedURL("The URL has no host.")
    if parts.username or parts.password:
        raise RefusedURL("Put credentials in the secret, not in the URL.")
    return parts, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def pick_address(host: str, addresses: list[str]) -> str:
    allowed = settings.DRS_ALLOWED_WEBHOOK_NETWORKS
    refused = ""
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if any(ip.version == net.version and ip in net for net in allowed):
            return str(ip)
        if not ip.is_global or ip.is_multicast or ip.is_reserved:
            refused = str(ip)
            continue
        return str(ip)
    raise RefusedURL(
        f"{host} resolves to {refused}, a loopback, private, link-local or reserved address; "
        "an operator can allow its network with DRS_ALLOWED_WEBHOOK_NETWORKS."
    )


def _addresses(infos: list[tuple[object, ...]]) -> list[str]:
    return [str(info[4][0]) for info in infos]  # type: ignore[index]


def check(url: str) -> Target:
    """For saving a webhook (a web request: a blocking lookup is fine there)."""
    parts, host, port = parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise RefusedURL(f"Cannot resolve {host}: {exc.strerror or exc}.") from None
    return Target(parts, host, port, pick_address(host, _addresses(list(infos))))


async def acheck(url: str) -> Target:
    """For a delivery attempt, on the sender's loop."""
    parts, host, port = parse(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise RefusedURL(f"Cannot resolve {host}: {exc.strerror or exc}.") from None
    return Target(parts, host, port, pick_address(host, _addresses(list(infos))))
