from __future__ import annotations

from rest_framework.routers import DefaultRouter

from drs.applications.api import ApplicationViewSet, SweepViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("applications", ApplicationViewSet, basename="application")
router.register("sweeps", SweepViewSet, basename="sweep")

urlpatterns = router.urls
