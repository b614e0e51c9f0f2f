"""Writes of the notifications app: webhooks, the deliveries events create, and the sender's
claims and records (called from its loop through one database thread)."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from drs.credentials import crypto
from drs.notifications.choices import DeliveryState, Event
from drs.notifications.delivery import MAX_ATTEMPTS, Outcome, retry_delay
from drs.notifications.models import Delivery, DeliveryAttempt, NotificationSettings, Webhook

# A sender holds a claimed delivery this long: past the attempt's 10 s timeout, so a live
# sender always records first, and a dead one's claims run out soon.
CLAIM_SECONDS = 60


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def webhook_create(
    *, owner: Any, url: str, events: list[str], secret: str = "", enabled: bool = True
) -> tuple[Webhook, str]:
    """The webhook and its secret in clear (shown once: the caller returns it in the 201)."""
    secret = secret or new_secret()
    webhook = Webhook.objects.create(
        owner=owner,
        url=url,
        events=events,
        secret_encrypted=crypto.encrypt(secret),
        enabled=enabled,
    )
    return webhook, secret


def webhook_update(*, webhook: Webhook, **fields: Any) -> Webhook:
    secret = fields.pop("secret", None)
    if secret:
        webhook.secret_encrypted = crypto.encrypt(secret)
    for name, value in fields.items():
        setattr(webhook, name, value)
    webhook.save()
    return webhook


def event_body(delivery_id: uuid.UUID, event: str, data: dict[str, Any]) -> str:
    return json.dumps(
        {"id": str(delivery_id), "event": event, "time": timezone.now().isoformat(), **data},
        separators=(",", ":"),
        default=str,
    )


def deliveries_create(
    *, webhooks: list[Webhook], event: str, data: dict[str, Any]
) -> list[Delivery]:
    now = timezone.now()
    deliveries = []
    for webhook in webhooks:
        delivery_id = uuid.uuid4()
        deliveries.append(
            Delivery(
                id=delivery_id,
                webhook=webhook,
                event=event,
                body=event_body(delivery_id, event, data),
                next_attempt_at=now,
            )
        )
    return Delivery.objects.bulk_create(deliveries)


def events_emit(*, owner_id: int, events: Sequence[str], data: dict[str, Any]) -> int:
    """A delivery per (enabled webhook of the owner, event it subscribed to)."""
    webhooks = list(Webhook.objects.filter(owner_id=owner_id, enabled=True))
    count = 0
    for event in events:
        subscribed = [w for w in webhooks if event in w.events]
        if subscribed:
            count += len(deliveries_create(webhooks=subscribed, event=event, data=data))
    return count


def webhook_send_test(*, webhook: Webhook) -> Delivery:
    data = {"webhook": {"id": webhook.pk, "url": webhook.url}}
    return deliveries_create(webhooks=[webhook], event=Event.TEST, data=data)[0]


@dataclass(frozen=True)
class Claimed:
    id: str
    webhook_id: int
    url: str
    secret: str
    event: str
    body: bytes
    attempt: int  # this attempt's number, 1-based


def deliveries_claim(*, limit: int, busy: dict[int, int], per_webhook: int) -> list[Claimed]:
    """Due deliveries, oldest first, each claimed with a conditional UPDATE (another
    sender that got there first wins), skipping webhooks that already have PER_WEBHOOK
    attempts in flight here (BUSY: webhook id → in flight), so one dead receiver never
    holds up the others' deliveries."""
    now = timezone.now()
    due = (
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", "webhook_id")[: max(limit * 4, 50)]
    )
    picked: list[uuid.UUID] = []
    load = dict(busy)
    for pk, webhook_id in due:
        if len(picked) >= limit:
            break
        if load.get(webhook_id, 0) >= per_webhook:
            continue
        claimed = (
            Delivery.objects.filter(pk=pk, state=DeliveryState.PENDING)
            .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
            .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        )
        if claimed:
            picked.append(pk)
            load[webhook_id] = load.get(webhook_id, 0) + 1
    rows = Delivery.objects.filter(pk__in=picked).select_related("webhook")
    return [
        Claimed(
            id=str(d.pk),
            webhook_id=d.webhook_id,
            url=d.webhook.url,
            secret=crypto.decrypt(d.webhook.secret_encrypted),
            event=d.event,
            body=d.body.encode(),
            attempt=d.attempts + 1,
        )
        for d in rows
    ]


@transaction.atomic
def delivery_record(*, delivery_id: str, attempt: int, outcome: Outcome) -> None:
    now = timezone.now()
    DeliveryAttempt.objects.create(
        delivery_id=delivery_id,
        attempt=attempt,
        time=now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
        response_excerpt=outcome.excerpt,
    )
    if outcome.ok:
        state, next_at = DeliveryState.DELIVERED, None
    elif attempt >= MAX_ATTEMPTS:
        state, next_at = DeliveryState.FAILED, None
    else:
        state = DeliveryState.PENDING
        next_at = now + timedelta(seconds=retry_delay(attempt))
    Delivery.objects.filter(pk=delivery_id).update(
        attempts=attempt, state=state, next_attempt_at=next_at, claimed_until=None
    )


def delivery_release(*, delivery_id: str) -> None:
    """A sender stopping mid-attempt gives the attempt back at once."""
    Delivery.objects.filter(pk=delivery_id).update(claimed_until=None)


def notification_settings_get(*, user: Any) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def notification_settings_update(
    *, user: Any, email: str | None, **fields: Any
) -> NotificationSettings:
    obj, _ = NotificationSettings.objects.update_or_create(user=user, defaults=fields)
    if email is not None and email != user.email:
        user.email = email
        user.save(update_fields=["email"])
    return obj


def email_enabled() -> bool:
    return bool(settings.DRS_EMAIL_ENABLED)


def notify_email_default(*, user: Any) -> bool:
    """What a job submitted without `notify_email` gets: the user's default, and only when
    this installation sends email (so an unconfigured one costs no query)."""
    if not email_enabled():
        return False
    return NotificationSettings.objects.filter(user=user, notify_email_default=True).exists()
