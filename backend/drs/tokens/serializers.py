from __future__ import annotations

from typing import Any

from rest_framework import serializers

from drs.common.fields import StrictCharField, StrictIntegerField
from drs.tokens.models import ApiToken

MAX_EXPIRES_IN_DAYS = 3650


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    """A token as its owner sees it later: never the key."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The key: shown this once only.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


def expires_in_days_field() -> StrictIntegerField:
    return StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_EXPIRES_IN_DAYS,
        help_text="Days until it stops working (default: DRS_TOKEN_TTL_DAYS, 90 unless set).",
    )


class TokenCreateSerializer(serializers.Serializer[Any]):
    name = StrictCharField(max_length=100, help_text="What it is for, e.g. `laptop CLI`.")
    expires_in_days = expires_in_days_field()
