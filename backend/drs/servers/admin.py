from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model

from drs.servers.models import Interpreter, Server
from drs.servers.serializers import ServerSerializer


def _api_value(value: Any) -> Any:
    """A form's cleaned value as the API's JSON would carry it (objects by id)."""
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "values_list"):  # a queryset of a many-to-many field
        return list(value.values_list("pk", flat=True))
    return value


class ServerAdminForm(forms.ModelForm[Server]):
    """Validated by the API's own serializer, so the admin accepts exactly what the API
    does: a bad host key or host name is a form error, not a 500 or a stored mistake.
    (No Meta: the admin builds the form for its model and fields.)"""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        api = ServerSerializer()
        data = {
            name: _api_value(value)
            for name, value in cleaned.items()
            if name in api.fields and not api.fields[name].read_only
        }
        serializer = ServerSerializer(
            instance=self.instance if self.instance.pk else None, data=data
        )
        if serializer.is_valid():
            self.api_validated = dict(serializer.validated_data)
        else:
            for name, errors in serializer.errors.items():
                field = name if name in self.fields else None
                for error in errors if isinstance(errors, list) else [errors]:
                    self.add_error(field, str(error))
        return cleaned


@admin.register(Server)
class ServerAdmin(admin.ModelAdmin[Server]):
    form = ServerAdminForm
    list_display = ["name", "kind", "hostname", "port", "host_key_fingerprint", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "hostname"]
    readonly_fields = ["host_key_fingerprint"]
    filter_horizontal = ["interpreters"]

    def save_model(self, request: Any, obj: Server, form: Any, change: bool) -> None:
        # The API's normalised values: the parsed host key and its fingerprint, trimmed names.
        for name, value in form.api_validated.items():
            if name != "interpreters":
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin[Interpreter]):
    list_display = ["name", "path", "arguments"]
