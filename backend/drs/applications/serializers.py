from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from drs.applications import parameters as params
from drs.applications.models import Application, Sweep
from drs.common.validators import env_name_error
from drs.jobs.serializers import validate_result_pattern


def template() -> serializers.CharField:
    return serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=65536)


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    interpreter_name = serializers.CharField(source="interpreter.name", read_only=True)
    program = serializers.CharField(
        trim_whitespace=False, help_text="The script the interpreter runs."
    )
    arguments = serializers.ListField(
        child=template(), required=False, max_length=1000,
        help_text="argv items; `{name}` is replaced by a parameter's value, `{{`/`}}` are braces.",
    )  # fmt: skip
    environment = serializers.DictField(
        child=template(), required=False, help_text="Values may hold `{name}` placeholders."
    )
    parameters = serializers.JSONField(
        required=False,
        help_text='A JSON Schema, "type": "object", whose properties (string, integer, '
        "number, boolean; enum, minimum, maximum, pattern, default, title, description; "
        '"format": "file" for an input file, staged at its "x-path" or its name) are the '
        "parameters; `required` lists those without a default that must be given.",
    )
    result_patterns = serializers.ListField(
        child=serializers.CharField(max_length=1024, validators=[validate_result_pattern]),
        required=False, max_length=200,
    )  # fmt: skip
    default_resources = serializers.DictField(required=False)
    timeout_seconds = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=settings.DRS_MAX_TIMEOUT_SECONDS
    )

    class Meta:
        model = Application
        fields = [
            "id", "name", "title", "description", "interpreter", "interpreter_name", "program",
            "arguments", "environment", "parameters", "result_patterns", "servers",
            "default_resources", "timeout_seconds", "log_policy", "enabled", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_program(self, value: str) -> str:
        if len(value.encode()) > settings.DRS_MAX_PROGRAM_BYTES:
            raise serializers.ValidationError(
                f"The program is larger than {settings.DRS_MAX_PROGRAM_BYTES} bytes."
            )
        return value

    def validate_parameters(self, value: Any) -> Any:
        if errors := params.schema_errors(value):
            raise serializers.ValidationError(errors)
        return value

    def validate_environment(self, value: dict[str, str]) -> dict[str, str]:
        if error := env_name_error(value):
            raise serializers.ValidationError(error)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        schema = attrs.get("parameters", instance.parameters if instance else {"type": "object"})
        if not schema:
            schema = attrs["parameters"] = {"type": "object", "properties": {}}
        errors: dict[str, list[str]] = {}
        for field, default in (("arguments", []), ("environment", {})):
            value = attrs.get(field, getattr(instance, field, default))
            templates = value.values() if isinstance(value, dict) else value
            if problems := params.template_errors(templates, schema):
                errors[field] = problems
        if errors:
            raise serializers.ValidationError(errors)
        if "parameters" in attrs:
            attrs["parameter_order"] = list(attrs["parameters"].get("properties", {}))
        return attrs

    def to_representation(self, instance: Application) -> dict[str, Any]:
        data = super().to_representation(instance)
        schema = dict(data["parameters"] or {})
        properties = schema.get("properties")
        if isinstance(properties, dict):
            order = [n for n in instance.parameter_order if n in properties]
            rest = [n for n in properties if n not in order]
            schema["properties"] = {n: properties[n] for n in [*order, *rest]}
        data["parameters"] = schema
        return data


class ApplicationJobCreateSerializer(serializers.Serializer[Any]):
    """A job of an application: its parameters instead of an interpreter, a program,
    arguments and an environment (those come from the application)."""

    application = serializers.CharField(max_length=100, help_text="The application's name.")
    parameters = serializers.JSONField(
        required=False, default=dict, help_text="Values by parameter name."
    )
    server = serializers.IntegerField()
    credential = serializers.IntegerField(help_text="One of your credentials for this server.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    resources = serializers.DictField(required=False)
    inputs = serializers.ListField(child=serializers.DictField(), required=False, max_length=1000)


class SweepCreateSerializer(serializers.Serializer[Any]):
    application = serializers.CharField(max_length=100, help_text="The application's name.")
    server = serializers.IntegerField()
    credential = serializers.IntegerField(help_text="One of your credentials for this server.")
    parameters = serializers.JSONField(
        required=False, default=dict, help_text="Values every job of the sweep shares."
    )
    vary = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=1),
        help_text="Parameter name → its values; one job per combination (cartesian product).",
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SweepCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    count = serializers.IntegerField()
    jobs = serializers.ListField(child=serializers.UUIDField())


class SweepSerializer(serializers.ModelSerializer[Sweep]):
    application = serializers.CharField(source="application.name", read_only=True)
    application_title = serializers.CharField(source="application.title", read_only=True)
    server_name = serializers.CharField(source="server.name", read_only=True)
    status_counts = serializers.SerializerMethodField()

    class Meta:
        model = Sweep
        fields = [
            "id", "application", "application_title", "title", "server", "server_name",
            "credential", "parameters", "vary", "count", "status_counts", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer"}},
    )
    def get_status_counts(self, sweep: Sweep) -> dict[str, int]:
        counts: dict[str, int] = getattr(sweep, "status_counts", {})
        return counts


class SweepCancelledSerializer(serializers.Serializer[Any]):
    cancelled = serializers.IntegerField(help_text="Jobs that had not ended yet.")
