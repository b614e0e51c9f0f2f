from __future__ import annotations

from typing import Any

import asyncssh
from rest_framework import serializers

from drs.common.fields import StrictCharField, StrictModelSerializer, StrictPrimaryKeyRelatedField
from drs.common.validators import USERNAME
from drs.credentials.choices import CredentialKind
from drs.credentials.models import Credential
from drs.servers.models import Server


def secret_field(**options: Any) -> serializers.CharField:
    """Write-only and byte-exact: a password may end in a space, a key file in a newline."""
    return StrictCharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}, **options
    )


def validate_username(value: str) -> None:
    if not USERNAME.fullmatch(value):
        raise serializers.ValidationError("Enter a valid login name (letters, digits, _ . @ -).")


class CredentialSerializer(StrictModelSerializer[Credential]):
    """Secrets are write-only: they go in, and never come back out."""

    server = StrictPrimaryKeyRelatedField(queryset=Server.objects.all())
    username = StrictCharField(max_length=64, validators=[validate_username])
    private_key = secret_field(
        required=False, allow_blank=True, max_length=65536,
        help_text="OpenSSH or PEM private key text (kind `key`).",
    )  # fmt: skip
    passphrase = secret_field(
        required=False,
        allow_blank=True,
        max_length=1024,
    )
    password = secret_field(
        required=False, allow_blank=True, max_length=1024,
        help_text="Login password (kind `password`).",
    )  # fmt: skip

    class Meta:
        model = Credential
        fields = [
            "id", "server", "name", "username", "kind", "public_key", "created_at",
            "private_key", "passphrase", "password",
        ]  # fmt: skip
        read_only_fields = ["public_key", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Credential | None = self.instance
        kind = attrs.get("kind", instance.kind if instance else None)
        secrets = instance.get_secrets() if instance else None
        if kind == CredentialKind.KEY:
            private_key = attrs.get("private_key") or (secrets.private_key if secrets else "")
            passphrase = attrs.get("passphrase", secrets.passphrase if secrets else "")
            if not private_key:
                raise serializers.ValidationError(
                    {"private_key": ["A key credential needs a private key."]}
                )
            attrs["public_key"] = public_key_of(private_key, passphrase)
            attrs["password"] = ""
        elif kind == CredentialKind.PASSWORD:
            if not (attrs.get("password") or (secrets.password if secrets else "")):
                raise serializers.ValidationError(
                    {"password": ["A password credential needs a password."]}
                )
            attrs["private_key"] = attrs["passphrase"] = attrs["public_key"] = ""
        return attrs


def public_key_of(private_key: str, passphrase: str) -> str:
    try:
        key = asyncssh.import_private_key(private_key, passphrase or None)
    except asyncssh.KeyEncryptionError:
        raise serializers.ValidationError(
            {"passphrase": ["Wrong passphrase for this key."]}
        ) from None
    except (asyncssh.KeyImportError, ValueError, TypeError):
        raise serializers.ValidationError(
            {
                "private_key": [
                    "Not a private key in OpenSSH or PEM format (or it needs a passphrase)."
                ]
            }
        ) from None
    return key.export_public_key("openssh").decode().strip()


class CredentialGenerateSerializer(serializers.Serializer[Any]):
    server = StrictPrimaryKeyRelatedField(queryset=Server.objects.all())
    username = StrictCharField(max_length=64, validators=[validate_username])
    name = StrictCharField(max_length=100, required=False, allow_blank=True)
    password = secret_field(
        max_length=1024,
        help_text="Used once to install the new public key; never stored.",
    )  # fmt: skip


class CredentialDeleteQuerySerializer(serializers.Serializer[Any]):
    remove_from_server = serializers.BooleanField(
        default=False, help_text="Also remove the public key from the server's authorized_keys."
    )
