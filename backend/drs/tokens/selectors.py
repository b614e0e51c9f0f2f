from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from drs.tokens.models import ApiToken


def token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens that still work (expired ones are not shown)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())
