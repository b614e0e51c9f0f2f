from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drs.notifications.models import DeliveryAttempt, Webhook


def webhook_list(*, user: Any) -> QuerySet[Webhook]:
    """Webhooks are personal: even staff see only their own (each carries a secret)."""
    return Webhook.objects.filter(owner=user)


def delivery_attempts(*, webhook: Webhook) -> QuerySet[DeliveryAttempt]:
    return DeliveryAttempt.objects.filter(delivery__webhook=webhook).select_related("delivery")
