"""Which addresses DRS may open SSH connections to (the SSRF guard).

Only staff define servers, so the guard is not about users reaching hosts: it keeps a
mistake or a stolen staff session from turning DRS against its own machine and cloud:
loopback (the database, Redis and DRS itself listen there) and link-local (cloud metadata
at 169.254.169.254) stay refused unless DRS_ALLOWED_SSH_NETWORKS lists them. Private
ranges are where on-site clusters live, so they are allowed by default.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

PRIVATE_NETWORKS: tuple[Network, ...] = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)


def _unmapped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _within(ip: IPAddress, networks: Iterable[Network]) -> bool:
    return any(ip.version == net.version and ip in net for net in networks)


def address_allowed(address: str) -> bool:
    """True when SSH may connect to this literal address (a scope id is ignored)."""
    ip = _unmapped(ipaddress.ip_address(address.split("%", 1)[0]))
    if _within(ip, settings.DRS_ALLOWED_SSH_NETWORKS):
        return True
    if ip.is_multicast:
        return False
    return ip.is_global or _within(ip, PRIVATE_NETWORKS)


def refusal_message(host: str, address: str) -> str:
    shown = host if host == address else f"{host} resolves to {address}, which"
    return (
        f"{shown} is a loopback, link-local or reserved address, which DRS refuses by "
        "default. To allow it, add its network (e.g. 127.0.0.0/8) to "
        "DRS_ALLOWED_SSH_NETWORKS in DRS's environment and restart DRS."
    )


def hostname_refusal(host: str, port: int = 22) -> str | None:
    """Why `host` may not be an SSH target, or None. A name that does not resolve now is
    not refused here: the connection says so when it is tried."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    refused = [str(info[4][0]) for info in infos if not address_allowed(str(info[4][0]))]
    if refused and len(refused) == len(infos):
        return refusal_message(host, refused[0].split("%", 1)[0])
    return None
