"""Job-end email through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django_q.conf import Conf

from drs.common.env import email_settings
from drs.jobs import lifecycle
from drs.jobs.models import Job
from drs.notifications.tasks import job_email
from tests import factories
from tests.notifications.receivers import Smtp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_on(smtp: Smtp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Smtp]:
    # django-q2 runs the task in this process (the worker-tree test runs it in qcluster).
    monkeypatch.setattr(Conf, "SYNC", True)
    with override_settings(
        DRS_EMAIL_ENABLED=True, DRS_EMAIL_FROM="drs@example.org",
        DRS_PUBLIC_URL="https://drs.example.org", **email_settings(smtp.url),
    ):  # fmt: skip
        yield smtp


def finished_job(owner: Any, status: str = "failed", **extra: Any) -> Job:
    job = factories.job(owner, status="running", lease_owner="r", **extra)
    assert lifecycle.finish(job.pk, "r", status=status, error="it broke", exit_code=2)
    return job


def test_one_message_for_a_job_that_asked(owner: Any, mail_on: Smtp) -> None:
    owner.email = "owner@example.org"
    owner.save()
    job = finished_job(owner, notify_email=True, title="nightly fit")
    server = job.server
    finished_job(owner, notify_email=False, title="quiet", srv=server, credential=job.credential)
    assert len(mail_on.messages) == 1
    message = mail_on.messages[0]
    assert message["Subject"] == "[DRS] nightly fit: failed"
    assert message["From"] == "drs@example.org"
    assert message["X-Envelope-To"] == "owner@example.org"
    text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Exit code: 2" in text
    assert "Error: it broke" in text
    assert f"https://drs.example.org/jobs/{job.pk}" in text


def test_nothing_without_an_address(owner: Any, mail_on: Smtp) -> None:
    finished_job(owner, notify_email=True)
    assert mail_on.messages == []


def test_nothing_and_no_failure_when_email_is_not_configured(
    owner: Any, smtp: Smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Conf, "SYNC", True)
    owner.email = "owner@example.org"
    owner.save()
    job = finished_job(owner, notify_email=True)
    assert Job.objects.get(pk=job.pk).status == "failed"
    assert smtp.messages == []


def test_the_users_default_applies_only_when_email_is_on(api: Any, owner: Any) -> None:
    server = factories.server()
    body = {
        "server": server.pk,
        "credential": factories.credential(owner, server).pk,
        "interpreter": server.interpreters.first().pk,  # type: ignore[union-attr]
        "program": "print(1)",
    }
    api.patch("/api/notifications/settings/", {"notify_email_default": True}, format="json")
    assert api.post("/api/jobs/", body, format="json").json()["notify_email"] is False
    with override_settings(DRS_EMAIL_ENABLED=True):
        assert api.post("/api/jobs/", body, format="json").json()["notify_email"] is True
        off = api.post("/api/jobs/", body | {"notify_email": False}, format="json")
        assert off.json()["notify_email"] is False
        assert api.get("/api/notifications/settings/").json()["email_enabled"] is True


def test_subject_of_an_untitled_job(owner: Any) -> None:
    job = factories.job(owner, title="", status="succeeded")
    subject, _ = job_email(job)
    assert subject == f"[DRS] Job {job.pk}: succeeded"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail:2525", {"EMAIL_HOST": "mail", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": False}),
        (
            "smtp+tls://me%40x.org:p%2Fw@mail:587",
            {"EMAIL_HOST_USER": "me@x.org", "EMAIL_HOST_PASSWORD": "p/w", "EMAIL_USE_TLS": True},
        ),
        ("smtp+ssl://mail", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
    ],
)
def test_email_url(url: str, expected: dict[str, Any]) -> None:
    assert email_settings(url).items() >= expected.items()


@pytest.mark.parametrize("url", ["http://mail", "smtp://", "smtp://mail:port"])
def test_bad_email_url(url: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DRS_EMAIL_URL"):
        email_settings(url)


def test_a_schedule_that_cannot_create_its_job_mails_its_owner(owner: Any, mail_on: Smtp) -> None:
    from django.utils import timezone

    from drs.schedules import clock
    from drs.schedules.models import Schedule

    owner.email = "owner@example.org"
    owner.save()
    server = factories.server()
    body = {
        "server": server.pk,
        "credential": factories.credential(owner, server).pk,
        "interpreter": server.interpreters.first().pk,  # type: ignore[union-attr]
        "program": "print(1)",
    }
    Schedule.objects.create(
        owner=owner, name="nightly", cron="* * * * *", job=body, next_run_at=timezone.now()
    )
    owner.credentials.all().delete()
    assert clock.run_due() == 1
    assert [m["Subject"] for m in mail_on.messages] == [
        "[DRS] Schedule nightly: could not create its job"
    ]
    text = mail_on.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Reason: credential: " in text
