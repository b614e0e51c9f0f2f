"""Create, check and revoke API tokens (models.ApiToken says what is stored)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from drs.common.exceptions import DomainError
from drs.tokens.models import ApiToken

KEY_PREFIX = "drs_"
# Keys carry 256 random bits, so a fast hash is enough: nothing to brute-force.
MAX_ACTIVE_TOKENS = 100
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: Any, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user` and its key (the only time the key exists outside the caller)."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    if ApiToken.objects.filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            f"You have {MAX_ACTIVE_TOKENS} tokens already: revoke some first.", field="name"
        )
    days = expires_in_days or settings.DRS_TOKEN_TTL_DAYS
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(KEY_PREFIX) + 4],
        digest=digest(key),
        auth_hash=user.get_session_auth_hash(),
        expires_at=now + timedelta(days=days),
    )
    return token, key


def token_authenticate(key: str) -> tuple[Any, ApiToken] | None:
    """The active user and token that `key` names; None for anything else (unknown,
    expired, revoked, an inactive user, a password changed since)."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(key), expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.auth_hash, token.user.get_session_auth_hash()):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token


def token_revoke(*, token: ApiToken) -> None:
    token.delete()
