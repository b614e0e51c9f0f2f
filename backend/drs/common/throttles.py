"""Rate limits counted in the shared cache (Redis), so that every daphne process and web
node counts a client's attempts together (a per-process count let N processes allow N
times the rate). While Redis cannot be reached, a process counts alone: a request is never
refused with a 500 for the throttle's sake."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from drs.conf import REST_FRAMEWORK

log = logging.getLogger(__name__)


class SharedCacheThrottle(SimpleRateThrottle):
    cache = caches["shared"]
    THROTTLE_RATES = REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]  # DRS's, not the host's

    def get_ident(self, request: Any) -> str:
        """The peer address only: X-Forwarded-For is the client's to choose (the real
        client behind a trusted proxy is already in REMOTE_ADDR: common/proxies.py)."""
        return str(request.META.get("REMOTE_ADDR", ""))

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            log.warning(
                "%s throttle: shared cache unavailable (%r); counting locally", self.scope, exc
            )
            self.cache = caches["default"]
            return super().allow_request(request, view)


class LoginThrottle(SharedCacheThrottle, AnonRateThrottle):
    """Sign-in attempts per client address."""

    scope = "login"


class CredentialGenerateUserThrottle(SharedCacheThrottle):
    """Password tries through `credentials/generate/` per DRS user, whatever the target."""

    scope = "credential_generate_user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class CredentialGenerateTargetThrottle(SharedCacheThrottle):
    """Password tries per target account (server + login name), whoever tries: many DRS
    users together cannot guess one account's password faster than this."""

    scope = "credential_generate_target"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        data = request.data
        server, username = data.get("server"), data.get("username")
        if not isinstance(server, int) or not isinstance(username, str):
            return None  # refused by validation; it tries no password
        return self.cache_format % {"scope": self.scope, "ident": f"{server}:{username[:64]}"}
