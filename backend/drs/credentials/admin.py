from django.contrib import admin

from drs.credentials.models import Credential


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin[Credential]):
    """Secrets are neither shown nor editable here: only their owner sets them, via the API."""

    list_display = ["username", "server", "owner", "kind", "created_at"]
    list_filter = ["kind", "server"]
    search_fields = ["username", "owner__username"]
    fields = ["owner", "server", "name", "username", "kind", "public_key", "created_at"]
    readonly_fields = ["owner", "kind", "public_key", "created_at"]
