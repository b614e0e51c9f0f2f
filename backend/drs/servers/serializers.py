from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from drs.common.fields import (
    StrictCharField,
    StrictIntegerField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
)
from drs.common.validators import is_hostname_or_ip
from drs.servers.choices import SchedulerKind, ServerKind
from drs.servers.hostkeys import fingerprint, parse_host_key
from drs.servers.models import Interpreter, Server
from drs.servers.networks import hostname_refusal
from drs.servers.resources import resources_error


class InterpreterSerializer(StrictModelSerializer[Interpreter]):
    arguments = serializers.ListField(
        child=StrictCharField(max_length=4096, allow_blank=True, trim_whitespace=False),
        max_length=100,
        required=False,
        help_text="Extra argv items after the path, each one item (quoted for the shell), "
        "e.g. ['python3', '-u'].",
    )

    class Meta:
        model = Interpreter
        fields = ["id", "name", "path", "arguments"]

    def validate_path(self, value: str) -> str:
        if not value.startswith("/") or any(c.isspace() for c in value):
            raise serializers.ValidationError("Enter an absolute path without spaces.")
        return value


class ServerSerializer(StrictModelSerializer[Server]):
    interpreters = StrictPrimaryKeyRelatedField(
        many=True, queryset=Interpreter.objects.all(), required=False
    )
    host_key = StrictCharField(
        allow_blank=True,
        required=False,
        max_length=16384,
        help_text="Pinned OpenSSH public key line of the host. Empty: not trusted, jobs refused.",
    )

    class Meta:
        model = Server
        fields = [
            "id",
            "name",
            "kind",
            "hostname",
            "port",
            "host_key",
            "host_key_fingerprint",
            "jobs_directory",
            "interpreters",
            "max_concurrent_jobs",
            "enabled",
            "scheduler",
            "default_resources",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["host_key_fingerprint", "created_at", "updated_at"]

    def validate_hostname(self, value: str) -> str:
        value = value.strip()
        if value and not is_hostname_or_ip(value):
            raise serializers.ValidationError("Enter a valid hostname or IP address.")
        return value

    def validate_host_key(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return parse_host_key(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_jobs_directory(self, value: str) -> str:
        if not value.strip() or any(c in value for c in "\n\r\x00"):
            raise serializers.ValidationError("Enter a directory path on one line.")
        return value.strip()

    def validate_default_resources(self, value: Any) -> dict[str, Any]:
        if error := resources_error(value):
            raise serializers.ValidationError(error)
        return dict(value)

    def validate_kind(self, value: str) -> str:
        if value == ServerKind.LOCAL and not settings.DRS_ENABLE_LOCAL:
            raise serializers.ValidationError(
                "Local servers are disabled; set DRS_ENABLE_LOCAL=1 to allow them."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("kind", self.instance.kind if self.instance else ServerKind.SSH)
        hostname = attrs.get("hostname", self.instance.hostname if self.instance else "")
        if kind == ServerKind.SSH and not hostname:
            raise serializers.ValidationError({"hostname": ["SSH servers need a hostname."]})
        scheduler = attrs.get(
            "scheduler", self.instance.scheduler if self.instance else SchedulerKind.DIRECT
        )
        defaults = attrs.get(
            "default_resources", self.instance.default_resources if self.instance else {}
        )
        if defaults and scheduler == SchedulerKind.DIRECT:
            raise serializers.ValidationError(
                {"default_resources": ["A direct server takes no resources."]}
            )
        if kind == ServerKind.SSH and ("hostname" in attrs or "port" in attrs):
            # Said when the server is saved, not first when someone scans its key.
            port = attrs.get("port", self.instance.port if self.instance else 22)
            if refusal := hostname_refusal(hostname, port or 22):
                raise serializers.ValidationError({"hostname": [refusal]})
        if "host_key" in attrs:
            attrs["host_key_fingerprint"] = (
                fingerprint(attrs["host_key"]) if attrs["host_key"] else ""
            )
        return attrs


class ConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="Why it cannot be done now, e.g. jobs in the way.")


class HostKeySerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The host's OpenSSH public key line (not pinned).")
    fingerprint = serializers.CharField(help_text="SHA256 fingerprint, as `ssh-keygen -lf` shows.")


class ServerCheckSerializer(serializers.Serializer[Any]):
    credential = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Your credential to log in with; default: your first one for this server.",
    )


class InterpreterStatusSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    ok = serializers.BooleanField(help_text="It ran an empty program file and exited 0.")
    detail = serializers.CharField(allow_blank=True, help_text="Why not, when not ok.")


class CheckResultSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField(help_text="Logged in and every interpreter starts.")
    latency_ms = serializers.FloatField(allow_null=True, help_text="The login and `true`.")
    error = serializers.CharField(allow_blank=True)
    interpreters = InterpreterStatusSerializer(
        many=True, help_text="Each of the server's interpreters, checked after the login."
    )
