from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer

from drs.common.restapi import DrsAPIView, user_rows
from drs.schedules import selectors, services
from drs.schedules.models import Schedule
from drs.schedules.serializers import ScheduleSerializer


class ScheduleViewSet(DrsAPIView, viewsets.ModelViewSet[Schedule]):
    """Recurring jobs: each tick of `cron` (in `timezone`) submits `job` as its owner."""

    serializer_class = ScheduleSerializer

    def get_queryset(self) -> QuerySet[Schedule]:
        return user_rows(self, Schedule, selectors.schedule_list)

    def perform_create(self, serializer: BaseSerializer[Schedule]) -> None:
        serializer.instance = services.schedule_save(
            schedule=Schedule(owner=cast(User, self.request.user)),
            **serializer.validated_data,
        )

    def perform_update(self, serializer: BaseSerializer[Schedule]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.schedule_save(
            schedule=serializer.instance, **serializer.validated_data
        )
