from __future__ import annotations

from typing import Any

from rest_framework import serializers

from drs.notifications import urlguard
from drs.notifications.choices import SUBSCRIBABLE, SUBSCRIBABLE_CHOICES, DeliveryState
from drs.notifications.models import DeliveryAttempt, Webhook


class WebhookSerializer(serializers.ModelSerializer[Webhook]):
    url = serializers.CharField(
        max_length=2000, help_text="http(s) URL; private and loopback addresses are refused."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE_CHOICES),
        min_length=1, max_length=len(SUBSCRIBABLE),
        help_text="What to send: job.started, job.finished, job.failed, schedule.failed.",
    )  # fmt: skip
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, min_length=16, max_length=200,
        trim_whitespace=False,
        help_text="HMAC-SHA256 key of X-DRS-Signature; generated when absent (shown once).",
    )  # fmt: skip

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "secret", "enabled", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_url(self, value: str) -> str:
        try:
            urlguard.check(value)
        except urlguard.RefusedURL as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value

    def validate_events(self, value: list[str]) -> list[str]:
        return sorted(set(value))


class WebhookCreatedSerializer(WebhookSerializer):
    """The 201 of a create: the only time the secret is shown."""

    secret = serializers.CharField(read_only=True)


class DeliveryAttemptSerializer(serializers.ModelSerializer[DeliveryAttempt]):
    delivery = serializers.UUIDField(source="delivery_id", read_only=True)
    event = serializers.CharField(source="delivery.event", read_only=True)
    state = serializers.ChoiceField(
        source="delivery.state", choices=DeliveryState.choices, read_only=True,
        help_text="The delivery's state now (pending: another attempt is due).",
    )  # fmt: skip

    class Meta:
        model = DeliveryAttempt
        fields = [
            "id", "delivery", "event", "state", "attempt", "time", "status_code", "error",
            "duration_ms", "response_excerpt",
        ]  # fmt: skip
        read_only_fields = fields


class TestDeliverySerializer(serializers.Serializer[Any]):
    delivery = serializers.UUIDField(help_text="X-DRS-Delivery of the test event.")
    event = serializers.CharField()


class NotificationSettingsSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(
        allow_blank=True, required=False, help_text="Where job emails go (your account's)."
    )
    notify_email_default = serializers.BooleanField(
        required=False, help_text="Jobs submitted without `notify_email` get this."
    )
    email_enabled = serializers.BooleanField(
        read_only=True, help_text="This installation sends email (DRS_EMAIL_URL is set)."
    )
