"""The whole path with real processes: a runner ends a job on a real sshd, the notifier of
`manage.py workers` posts the signed events to a receiver on loopback, and django-q2
mails the owner through a real SMTP server."""

from __future__ import annotations

import ipaddress
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from drs.notifications import services
from drs.notifications.delivery import signature
from tests import factories
from tests.fixtures.sshd import Sshd, key_credential, ssh_server
from tests.fixtures.workers import Workers
from tests.notifications.receivers import Receiver, Smtp, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_job_events_and_email_from_the_worker_tree(
    api: APIClient,
    owner: Any,
    sshd: Sshd,
    start_workers: Callable[..., Workers],
    receiver: Receiver,
    smtp: Smtp,
) -> None:
    owner.email = "owner@example.org"
    owner.save()
    with override_settings(DRS_ALLOWED_WEBHOOK_NETWORKS=[ipaddress.ip_network("127.0.0.0/8")]):
        _, secret = services.webhook_create(
            owner=owner, url=receiver.url(), events=["job.started", "job.finished", "job.failed"]
        )
    start_workers(
        workers=1,
        extra_env={
            "DRS_ALLOWED_WEBHOOK_NETWORKS": "127.0.0.0/8",
            "DRS_EMAIL_URL": smtp.url,
            "DRS_EMAIL_FROM": "drs@example.org",
        },
    )
    server = ssh_server(sshd)
    base = {
        "server": server.pk,
        "credential": key_credential(owner, server, sshd).pk,
        "interpreter": factories.interpreter().pk,
    }
    loud = api.post(
        "/api/jobs/",
        base | {"title": "loud", "program": "print('hi')", "notify_email": True},
        format="json",
    ).json()
    quiet = api.post(
        "/api/jobs/",
        base | {"title": "quiet", "program": "import time\ntime.sleep(60)", "timeout_seconds": 1},
        format="json",
    ).json()

    def events() -> list[tuple[str, str, str]]:
        found = []
        for request in list(receiver.requests):
            body = json.loads(request.body)
            found.append(
                (body["job"]["title"], request.headers["X-DRS-Event"], body["job"]["status"])
            )
        return sorted(found)

    expected = [
        ("loud", "job.finished", "succeeded"),
        ("loud", "job.started", "running"),
        ("quiet", "job.failed", "timed_out"),
        ("quiet", "job.finished", "timed_out"),
        ("quiet", "job.started", "running"),
    ]
    wait_for(lambda: events() == expected, f"the five events (got {events()})", timeout=120)
    for request in receiver.requests:
        assert request.headers["X-DRS-Signature"] == signature(secret, request.body)
    wait_for(lambda: smtp.messages, "the email of the job that asked for it")
    time.sleep(3)  # a wrong second message would be on its way by now
    assert [m["Subject"] for m in smtp.messages] == ["[DRS] loud: succeeded"]
    assert str(loud["id"]) in smtp.messages[0].get_payload()  # type: ignore[operator]
    assert quiet["notify_email"] is False
