"""The login throttle counts real peers: X-Forwarded-For is believed only from
DRS_TRUSTED_PROXIES (issue 14). Through real daphne processes, as `manage.py serve` runs it."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import psutil
import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient

from drs.common.proxies import real_client
from drs.tokens.auth_api import LoginThrottle
from tests.fixtures.daphne import BACKEND_DIR, PROJECT_DIR, Daphne, free_port

LOOPBACK = [ipaddress.ip_network("127.0.0.0/8")]
PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::1/128")]


@pytest.mark.parametrize(
    ("peer", "xff", "proxies", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", [], "203.0.113.9"),  # nothing trusted: the peer
        ("203.0.113.9", "1.2.3.4", PROXIES, "203.0.113.9"),  # peer is not a proxy
        ("10.0.0.2", "1.2.3.4", PROXIES, "1.2.3.4"),
        ("10.0.0.2", "6.6.6.6, 1.2.3.4", PROXIES, "1.2.3.4"),  # spoofed left entry ignored
        ("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.3", PROXIES, "1.2.3.4"),  # proxy chain
        ("10.0.0.2", "10.0.0.5, 10.0.0.3", PROXIES, "10.0.0.5"),
        ("10.0.0.2", "not-an-ip", PROXIES, "10.0.0.2"),
        ("10.0.0.2", None, PROXIES, "10.0.0.2"),
        ("2001:db8::1", "[2001:db8::7]:4431", PROXIES, "2001:db8::7"),
        ("10.0.0.2", "1.2.3.4:5555", PROXIES, "1.2.3.4"),
    ],
)
def test_real_client(peer: str, xff: str | None, proxies: Any, expected: str) -> None:
    assert real_client(peer, xff, proxies) == expected


@pytest.mark.django_db
def test_the_throttle_counts_locally_while_redis_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No Redis behind the shared cache: sign-ins are still answered (400, then 429 from
    this process's own count), never a 500."""
    dead = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_timeout": 1}})
    monkeypatch.setattr(LoginThrottle, "cache", dead)
    caches["default"].clear()  # this process's own count starts at zero
    client = APIClient()
    got = [
        client.post(
            "/api/auth/token/", {"username": "nobody", "password": "wrong"}, format="json"
        ).status_code
        for _ in range(31)
    ]
    assert got[:30] == [400] * 30 and got[30] == 429


def failed_login(base: str, forwarded_for: str) -> int:
    request = urllib.request.Request(  # noqa: S310 — a loopback http URL
        f"{base}/api/auth/token/",
        data=json.dumps({"username": "nobody", "password": "wrong"}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 — loopback
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def statuses(base: str, forwarded: list[str]) -> list[int]:
    return [failed_login(base, xff) for xff in forwarded]


VARYING = [f"198.51.100.{i}" for i in range(31)]


@pytest.mark.django_db(transaction=True)
def test_varying_forwarded_for_does_not_escape_the_throttle(django_db_setup: Any) -> None:
    with Daphne() as server:
        got = statuses(server.origin, VARYING)
    print(
        f"\n31 failed logins, 31 different X-Forwarded-For: {got.count(400)} x 400, then {got[30:]}"
    )
    assert got[:30] == [400] * 30
    assert got[30] == 429


@pytest.mark.django_db(transaction=True)
def test_a_trusted_proxy_passes_the_client_address(django_db_setup: Any) -> None:
    with Daphne(env={"DRS_TRUSTED_PROXIES": "127.0.0.0/8"}) as server:
        # Behind the (trusted) proxy, different clients are counted apart ...
        assert 429 not in statuses(server.origin, VARYING)
        # ... and one client is throttled whatever it puts left of the proxy's entry.
        got = statuses(server.origin, [f"6.6.6.{i}, 192.0.2.1" for i in range(31)])
    assert got[:30] == [400] * 30 and got[30] == 429


@pytest.mark.django_db(transaction=True)
def test_serve_runs_daphne_without_proxy_headers(django_db_setup: Any) -> None:
    """`manage.py serve` (what `make run` starts) is the production path: its daphne must
    not be told to believe X-Forwarded-For, and the throttle holds through it."""
    port = free_port()
    env = Daphne().environment()
    proc = subprocess.Popen(
        [sys.executable, str(BACKEND_DIR / "manage.py"), "serve", "--no-workers", "--port", str(port)],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/schema/", timeout=5).close()  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                assert proc.poll() is None, "serve exited"
                time.sleep(0.2)
        daphnes = [
            child.cmdline()
            for child in psutil.Process(proc.pid).children(recursive=True)
            if "daphne" in child.cmdline()
        ]
        assert daphnes and all("--proxy-headers" not in argv for argv in daphnes), daphnes
        got = statuses(base, VARYING)
        assert got[:30] == [400] * 30 and got[30] == 429
    finally:
        proc.terminate()
        proc.wait(60)
