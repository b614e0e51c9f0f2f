from __future__ import annotations

import django_filters

from drs.jobs.choices import JobStatus
from drs.jobs.models import Job
from drs.servers.models import Server


class JobFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=JobStatus.choices)
    server = django_filters.ModelChoiceFilter(queryset=Server.objects.all())
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Job
        fields = ["status", "server", "created_after", "created_before"]
