"""Serializer fields that take JSON types as they are: DRF's own turn `1.5` into server 1,
`12` into "12" and `"7"` into 7. The API speaks JSON only, so a value of the wrong type is
a mistake to report (400 naming the field), never one to repair."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from rest_framework import serializers

_M = TypeVar("_M", bound=models.Model)


class StrictCharField(serializers.CharField):
    """Text only: a number or boolean is refused instead of turned into a string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: not `1.0`, `1.5`, `"1"` or `true`."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField[_M]):
    """An object id as a JSON integer in the database's range: `1.5` or `"1"` is refused
    rather than read as object 1, and `2**70` is unknown rather than an overflow."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < data < 2**63:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


_TEXT = (models.CharField, models.TextField, models.SlugField)
_INTEGER = (
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
)  # fmt: skip


class StrictModelSerializer(serializers.ModelSerializer[_M]):
    """A ModelSerializer whose generated text, integer and relation fields are strict."""

    serializer_related_field = StrictPrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **dict.fromkeys(_TEXT, StrictCharField),
        **dict.fromkeys(_INTEGER, StrictIntegerField),
    }
