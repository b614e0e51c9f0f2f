from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drs.credentials.models import Credential


def credential_list(*, user: Any) -> QuerySet[Credential]:
    """Credentials are strictly personal: even staff see only their own."""
    return Credential.objects.filter(owner=user).select_related("server")
