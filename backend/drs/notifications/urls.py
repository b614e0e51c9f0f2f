from __future__ import annotations

from django.urls import path
from rest_framework.routers import BaseRouter

from drs.notifications.api import NotificationSettingsView, WebhookViewSet


def register(router: BaseRouter) -> None:
    router.register("webhooks", WebhookViewSet, basename="webhook")


urlpatterns = [
    path(
        "notifications/settings/",
        NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
]
