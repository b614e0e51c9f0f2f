from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` against the hashed tokens (DRF's parsing and 401)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        # Imported here: DRF loads this class while drs.common.exceptions is importing DRF.
        from drs.tokens.services import token_authenticate

        found = token_authenticate(key)
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return found
