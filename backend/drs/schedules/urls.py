from __future__ import annotations

from rest_framework.routers import BaseRouter

from drs.schedules.api import ScheduleViewSet


def register(router: BaseRouter) -> None:
    router.register("schedules", ScheduleViewSet, basename="schedule")
