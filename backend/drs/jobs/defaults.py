"""Per-user defaults of a job's fields that an app above drs.jobs keeps: whether to email
the owner when the job ends lives in drs.notifications, which registers it when Django
starts (`NotificationsConfig.ready`). Without it, no job asks for email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NotifyEmailDefault = Callable[..., bool]  # (*, user) -> bool

_notify_email_default: NotifyEmailDefault | None = None


def register_notify_email_default(default: NotifyEmailDefault) -> None:
    global _notify_email_default
    _notify_email_default = default


def notify_email_default(*, user: Any) -> bool:
    """What a job submitted without `notify_email` gets."""
    return _notify_email_default is not None and _notify_email_default(user=user)
