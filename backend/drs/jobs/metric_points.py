"""Reading a job's metric points (`GET jobs/{id}/metrics/`): the selector and its shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from drs.common.isotime import iso_time
from drs.jobs.models import Job, MetricPoint


class MetricPointSerializer(serializers.Serializer[Any]):
    n = serializers.IntegerField(min_value=1, help_text="1, 2, 3... in the order written.")
    time = serializers.DateTimeField(help_text="When the point was stored.")
    values = serializers.DictField(child=serializers.FloatField())


class MetricPageSerializer(serializers.Serializer[Any]):
    results = MetricPointSerializer(many=True, help_text="In ascending n order.")
    next_after = serializers.IntegerField(
        help_text="Pass as `after` to read on: the last n returned, or the `after` given."
    )
    complete = serializers.BooleanField(
        help_text="The job has ended and no point follows `next_after`."
    )
    invalid = serializers.IntegerField(help_text="Lines of the metrics file skipped as invalid.")
    note = serializers.CharField(help_text="Set once points were no longer stored (the bound).")


class MetricQuerySerializer(serializers.Serializer[Any]):
    after = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, default=0, help_text="Points with n > after."
    )
    limit = serializers.IntegerField(min_value=1, max_value=10_000, default=5000)


def metric_page(*, job: Job, after: int = 0, limit: int = 5000) -> dict[str, Any]:
    rows = list(
        MetricPoint.objects.filter(job=job, n__gt=after)
        .order_by("n")
        .values_list("n", "time", "values")[:limit]
    )
    next_after = rows[-1][0] if rows else after
    return {
        "results": [{"n": n, "time": iso_time(t), "values": v} for n, t, v in rows],
        "next_after": next_after,
        "complete": job.is_terminal and next_after >= job.metric_count,
        "invalid": job.metrics_invalid,
        "note": job.metrics_note,
    }
