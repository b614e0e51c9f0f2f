from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from drs.common.restapi import DrsAPIView, user_rows
from drs.notifications import selectors, services
from drs.notifications.models import Webhook
from drs.notifications.serializers import (
    DeliveryAttemptSerializer,
    NotificationSettingsSerializer,
    TestDeliverySerializer,
    WebhookCreatedSerializer,
    WebhookSerializer,
)


class WebhookViewSet(DrsAPIView, viewsets.ModelViewSet[Webhook]):
    serializer_class = WebhookSerializer

    def get_queryset(self) -> QuerySet[Webhook]:
        return user_rows(self, Webhook, selectors.webhook_list)

    @extend_schema(responses={201: WebhookCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a webhook; the 201 shows its secret, once."""
        body = WebhookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        webhook, secret = services.webhook_create(owner=request.user, **body.validated_data)
        data = WebhookCreatedSerializer(webhook).data | {"secret": secret}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: BaseSerializer[Webhook]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.webhook_update(
            webhook=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        responses=DeliveryAttemptSerializer(many=True), operation_id="webhooks_deliveries"
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """The delivery log: every attempt, newest first."""
        attempts = selectors.delivery_attempts(webhook=self.get_object())
        page = self.paginate_queryset(attempts)  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(DeliveryAttemptSerializer(page, many=True).data)

    @extend_schema(
        request=None, responses={202: TestDeliverySerializer}, operation_id="webhooks_test"
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Send a `webhook.test` event now (even to a disabled webhook)."""
        delivery = services.webhook_send_test(webhook=self.get_object())
        return Response(
            {"delivery": delivery.pk, "event": delivery.event}, status=status.HTTP_202_ACCEPTED
        )


class NotificationSettingsView(DrsAPIView):
    permission_classes = [permissions.IsAuthenticated]

    def _data(self, request: Request) -> dict[str, Any]:
        found = services.notification_settings_get(user=request.user)
        return {
            "email": getattr(request.user, "email", ""),
            "notify_email_default": found.notify_email_default,
            "email_enabled": services.email_enabled(),
        }

    @extend_schema(responses=NotificationSettingsSerializer, operation_id="notifications_settings")
    def get(self, request: Request) -> Response:
        """Your notification defaults, and whether this installation sends email."""
        return Response(self._data(request))

    @extend_schema(
        request=NotificationSettingsSerializer,
        responses=NotificationSettingsSerializer,
        operation_id="notifications_settings_update",
    )
    def patch(self, request: Request) -> Response:
        body = NotificationSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        services.notification_settings_update(
            user=request.user, email=fields.pop("email", None), **fields
        )
        return Response(self._data(request))
