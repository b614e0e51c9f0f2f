from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.http import QueryDict

from drs.jobs.choices import JobStatus
from drs.jobs.models import Job
from drs.servers.models import Server


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class UTCIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 text may carry."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("Enter a date and time after year 1.") from None


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


def canonical_uuid_prefix(value: str) -> str:
    """A job id's first hex digits, hyphenated as in the canonical UUID text, so one
    lookup matches on PostgreSQL (uuid as text) and SQLite (hyphens stripped)."""
    digits = value.replace("-", "").lower()
    parts = [digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:]]
    return "-".join(p for p in parts if p)


class JobFilter(django_filters.FilterSet):
    """The job list's filters; each has an index (jobs migration 0003). Filters combine
    with AND; several statuses combine with OR."""

    status = django_filters.MultipleChoiceFilter(
        choices=JobStatus.choices,
        distinct=False,  # a plain IN on one column: DISTINCT would sort every match
        help_text="Repeat (`?status=running&status=failed`) or separate with commas.",
    )
    server = django_filters.ModelChoiceFilter(queryset=Server.objects.all())
    # A plain number, not a model choice: an unknown id must not read differently from
    # another user's (that would tell non-staff which user ids exist).
    owner = IdFilter(
        field_name="owner_id",
        min_value=1,
        max_value=2**63 - 1,
        help_text="User id. Only staff see other users' jobs; for others it narrows to nothing.",
    )
    sweep = django_filters.UUIDFilter(field_name="sweep_id", help_text="Jobs of this sweep.")
    id_prefix = django_filters.CharFilter(
        method="filter_id_prefix",
        max_length=36,
        validators=[
            RegexValidator(
                r"^(?=(?:-*[0-9a-fA-F]){4})[0-9a-fA-F-]+$",
                "Enter at least 4 hex digits of a job id (hyphens allowed).",
            )
        ],
        help_text="Jobs whose id starts with these hex digits (the short ids the SPA shows).",
    )
    created_after = UTCIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="ISO 8601, inclusive."
    )
    created_before = UTCIsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="ISO 8601, exclusive."
    )

    class Meta:
        model = Job
        fields = [
            "status", "server", "owner", "sweep", "id_prefix", "created_after", "created_before"
        ]  # fmt: skip

    def filter_id_prefix(self, queryset: QuerySet[Job], name: str, value: str) -> QuerySet[Job]:
        return queryset.filter(id__startswith=canonical_uuid_prefix(value))

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and any("," in value for value in data.getlist("status")):
            data = data.copy()
            data.setlist(
                "status",
                [part.strip() for value in data.getlist("status") for part in value.split(",")],
            )
        super().__init__(data, *args, **kwargs)
