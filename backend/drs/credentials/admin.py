from __future__ import annotations

from typing import Any

from django.contrib import admin

from drs.credentials.models import Credential


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin[Credential]):
    """Read-only where the API is: secrets are neither shown nor editable, and the account a
    credential logs in as (server, username) is its owner's to choose, never an admin's.
    Only the label may change; credentials are created by their owners, via the API."""

    list_display = ["username", "server", "owner", "kind", "created_at"]
    list_filter = ["kind", "server"]
    search_fields = ["username", "owner__username"]
    fields = ["owner", "server", "name", "username", "kind", "public_key", "created_at"]
    readonly_fields = ["owner", "server", "username", "kind", "public_key", "created_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False
