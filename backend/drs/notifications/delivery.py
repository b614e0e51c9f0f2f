"""One webhook delivery attempt: sign, check the target, POST, keep an excerpt. No ORM
here: the sender (drs.notifications.sender) claims and records around it."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import random
import time
from dataclasses import dataclass

import httpx

from drs.notifications.urlguard import RefusedURL, Target, acheck

MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10.0
EXCERPT_CHARS = 500
# Retry n (1-based) waits RETRY_BASE * 2**(n-1) seconds, jittered down by up to half, so
# the first retry comes 5-10 s after the failure and six attempts span about 5 minutes.
RETRY_BASE_SECONDS = 10.0
USER_AGENT = "DRS-Webhook/1"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(failures: int) -> float:
    return RETRY_BASE_SECONDS * 2 ** (failures - 1) * random.uniform(0.5, 1.0)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int
    excerpt: str


def client() -> httpx.AsyncClient:
    # httpx logs every request's URL at INFO: a webhook URL may carry a token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # trust_env=False: no proxy from the environment may carry a request past the guard.
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(TIMEOUT_SECONDS),
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=20),
        headers={"User-Agent": USER_AGENT},
    )


def _url_for(target: Target) -> str:
    """The URL with the checked address in place of the host name."""
    host = f"[{target.address}]" if ":" in target.address else target.address
    url = target.url
    return f"{url.scheme}://{host}:{target.port}{url.path or '/'}" + (
        f"?{url.query}" if url.query else ""
    )


async def attempt(
    http: httpx.AsyncClient, *, url: str, secret: str, delivery_id: str, event: str, body: bytes
) -> Outcome:
    started = time.monotonic()

    def done(ok: bool, status: int | None, error: str, excerpt: str = "") -> Outcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(ok, status, error[:500], elapsed, excerpt[:EXCERPT_CHARS])

    try:
        target = await acheck(url)
    except RefusedURL as exc:
        return done(False, None, f"Not contacted: {exc}")
    default_port = 443 if target.url.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host:
        host_header = f"[{target.host}]" + (
            "" if target.port == default_port else f":{target.port}"
        )
    headers = {
        "Host": host_header,
        "Content-Type": "application/json",
        "X-DRS-Event": event,
        "X-DRS-Delivery": delivery_id,
        "X-DRS-Signature": signature(secret, body),
    }
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            request = http.build_request(
                "POST", _url_for(target), content=body, headers=headers, extensions=extensions
            )
            response = await http.send(request, stream=True)
            try:
                excerpt = b""
                async for chunk in response.aiter_raw():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_CHARS:
                        break
            finally:
                await response.aclose()
    except TimeoutError:
        return done(False, None, f"No answer within {TIMEOUT_SECONDS:g} s.")
    except httpx.HTTPError as exc:
        return done(False, None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    text = excerpt[:EXCERPT_CHARS].decode(errors="replace")
    code = response.status_code
    if 200 <= code < 300:
        return done(True, code, "", text)
    reason = "a redirect (not followed)" if 300 <= code < 400 else f"HTTP {code}"
    return done(False, code, f"The receiver answered {reason}.", text)
