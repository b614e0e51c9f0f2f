"""Deliveries end to end inside the test process: a job's end (the signal the runner's
transition sends) → deliveries → the sender's loop → a real HTTP receiver on loopback."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from drs.credentials import crypto
from drs.jobs import lifecycle
from drs.jobs.models import Job
from drs.notifications import services
from drs.notifications.choices import DeliveryState
from drs.notifications.delivery import MAX_ATTEMPTS, Outcome
from drs.notifications.models import Delivery, DeliveryAttempt, Webhook
from drs.notifications.sender import Sender
from drs.signals import job_finished
from tests import factories
from tests.notifications.receivers import Receiver

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = [ipaddress.ip_network("127.0.0.0/8")]
SECRET = "a webhook secret for the tests"


def readme_snippet(marker: str) -> str:
    text = (ROOT / "docs" / "notifications.md").read_text()
    block = text.split(f"<!-- {marker} -->", 1)[1]
    code = re.search(r"```\w+\n(.*?)```", block, re.S)
    assert code is not None
    return "\n".join(line[2:] for line in code.group(1).splitlines())


def python_verify(secret: str, body: bytes, signature: str) -> bool:
    scope: dict[str, Any] = {}
    exec(readme_snippet("webhook-verify-python"), scope)  # noqa: S102 - the docs' own code
    return bool(scope["verify"](secret, body, signature))


def node_verify(secret: str, body: bytes, signature: str) -> bool:
    script = readme_snippet("webhook-verify-node") + (
        "\nconst body = require('node:fs').readFileSync(0);"
        "\nprocess.exit(verify(process.argv[1], body, process.argv[2]) ? 0 : 1);\n"
    )
    run = subprocess.run(["node", "-e", script, secret, signature], input=body, check=False)
    return run.returncode == 0


def webhook(owner: Any, url: str, events: list[str]) -> Webhook:
    with override_settings(DRS_ALLOWED_WEBHOOK_NETWORKS=LOOPBACK):
        return services.webhook_create(owner=owner, url=url, events=events, secret=SECRET)[0]


def running_job(owner: Any, **extra: Any) -> Job:
    return factories.job(owner, status="running", lease_owner="runner-x", **extra)


async def close_db_thread() -> None:
    """The sender's ORM calls ran in asgiref's database thread: close its connection, or
    PostgreSQL cannot drop the test database."""
    from asgiref.sync import sync_to_async
    from django.db import connections

    await sync_to_async(connections.close_all, thread_sensitive=True)()


async def pump(sender: Sender, until: Any, timeout: float = 40) -> None:
    """Tick the sender as `manage.py notifier` does until `until()` holds."""
    from asgiref.sync import sync_to_async

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    # In the sender's database thread, whose connection close_db_thread returns: a pool
    # thread of asyncio's would keep a pooled PostgreSQL connection after its loop ends.
    while not await sync_to_async(until, thread_sensitive=True)():
        assert loop.time() < deadline, "the sender did not get there"
        await sender.tick()
        await asyncio.sleep(0.1)
    await sender.drain()


def deliver(until: Any) -> None:
    async def main() -> None:
        sender = Sender()
        try:
            await pump(sender, until)
        finally:
            await sender.close()
            await close_db_thread()

    with override_settings(DRS_ALLOWED_WEBHOOK_NETWORKS=LOOPBACK):
        asyncio.run(main())


def test_signed_job_finished_is_retried_after_a_500_with_the_same_id(
    owner: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500, 200]
    hook = webhook(owner, receiver.url(), ["job.finished", "job.failed"])
    job = running_job(owner)
    assert lifecycle.finish(job.pk, "runner-x", status="failed", error="boom", exit_code=3)
    deliveries = Delivery.objects.filter(webhook=hook)
    assert sorted(deliveries.values_list("event", flat=True)) == ["job.failed", "job.finished"]
    finished = deliveries.get(event="job.finished")

    deliver(lambda: len([r for r in receiver.requests if r.headers["X-DRS-Event"] == "job.finished"]) >= 2 and not Delivery.objects.filter(state="pending").exists())  # fmt: skip

    posts = [r for r in receiver.requests if r.headers["X-DRS-Event"] == "job.finished"]
    assert len(posts) == 2
    assert {r.headers["X-DRS-Delivery"] for r in posts} == {str(finished.pk)}
    assert posts[0].body == posts[1].body
    for post in posts:
        signature = post.headers["X-DRS-Signature"]
        assert python_verify(SECRET, post.body, signature)
        assert node_verify(SECRET, post.body, signature)
        assert not python_verify("another secret", post.body, signature)
        assert not node_verify(SECRET, post.body + b" ", signature)
    body = json.loads(posts[0].body)
    assert body["id"] == str(finished.pk)
    assert body["event"] == "job.finished"
    assert body["job"]["id"] == str(job.pk)
    assert body["job"]["status"] == "failed"
    assert body["job"]["exit_code"] == 3

    attempts = list(DeliveryAttempt.objects.filter(delivery=finished).order_by("attempt"))
    assert [(a.attempt, a.status_code) for a in attempts] == [(1, 500), (2, 200)]
    assert "HTTP 500" in attempts[0].error
    assert attempts[1].error == ""
    assert len(attempts[1].response_excerpt) == 500
    finished.refresh_from_db()
    assert finished.state == DeliveryState.DELIVERED

    # The log as the API shows it, newest first, both attempts.
    from tests.conftest import client_for

    log = client_for(owner).get(f"/api/webhooks/{hook.pk}/deliveries/").json()["results"]
    mine = [row for row in log if row["delivery"] == str(finished.pk)]
    assert [(r["attempt"], r["status_code"], r["state"]) for r in mine] == [
        (2, 200, "delivered"),
        (1, 500, "delivered"),
    ]


def test_the_first_retry_is_due_within_15_seconds(owner: Any) -> None:
    hook = webhook(owner, "http://127.0.0.1:9/", ["job.finished"])
    delivery = services.deliveries_create(webhooks=[hook], event="job.finished", data={})[0]
    failed = Outcome(False, 500, "HTTP 500", 3, "")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        before = timezone.now()
        services.delivery_record(delivery_id=str(delivery.pk), attempt=attempt, outcome=failed)
        delivery.refresh_from_db()
        if attempt == 1:
            assert delivery.next_attempt_at is not None
            assert delivery.next_attempt_at - before <= timedelta(seconds=15)
    assert delivery.state == DeliveryState.FAILED
    assert delivery.next_attempt_at is None
    assert delivery.attempts == MAX_ATTEMPTS


def test_a_name_resolving_to_a_private_address_at_delivery_is_not_contacted(
    owner: Any, receiver: Receiver
) -> None:
    # Saved while the operator allowed loopback; by delivery time "localhost" is refused.
    hook = webhook(owner, receiver.url(host="localhost"), ["job.finished"])
    delivery = services.webhook_send_test(webhook=hook)

    async def main() -> None:
        sender = Sender()
        try:
            await pump(sender, lambda: DeliveryAttempt.objects.filter(delivery=delivery).exists())
        finally:
            await sender.close()
            await close_db_thread()

    asyncio.run(main())
    assert receiver.requests == []
    attempt = DeliveryAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None
    assert attempt.error.startswith("Not contacted: localhost resolves to")


def test_events_follow_the_subscription_and_disabled_webhooks_get_none(
    owner: Any, stranger: Any, receiver: Receiver
) -> None:
    started = webhook(owner, receiver.url(), ["job.started"])
    finished = webhook(owner, receiver.url(), ["job.finished"])
    off = webhook(owner, receiver.url(), ["job.started", "job.finished"])
    off.enabled = False
    off.save()
    theirs = webhook(stranger, receiver.url(), ["job.started", "job.finished"])
    job = factories.job(owner, status="starting", lease_owner="runner-x")
    assert lifecycle.mark_running(job.pk, "runner-x", pgid=1, pgid_start="", pid=2, pid_start="")
    # A second runner reattaching does not start it again.
    assert lifecycle.mark_running(job.pk, "runner-x", pgid=1, pgid_start="", pid=2, pid_start="")
    assert lifecycle.finish(job.pk, "runner-x", status="succeeded", exit_code=0)
    assert not lifecycle.finish(job.pk, "runner-x", status="failed")
    events = {
        hook.pk: list(Delivery.objects.filter(webhook=hook).values_list("event", flat=True))
        for hook in (started, finished, off, theirs)
    }
    assert events == {
        started.pk: ["job.started"],
        finished.pk: ["job.finished"],
        off.pk: [],
        theirs.pk: [],
    }


@pytest.mark.parametrize("status", ["succeeded", "failed", "cancelled", "timed_out", "lost"])
def test_job_finished_is_sent_once_for_every_final_status(owner: Any, status: str) -> None:
    seen: list[tuple[str, str]] = []

    def receiver(sender: type[Job], *, job: Job, **kwargs: Any) -> None:
        seen.append((str(job.pk), job.status))

    job_finished.connect(receiver, sender=Job, dispatch_uid="test-once")
    try:
        job = running_job(owner)
        assert lifecycle.finish(job.pk, "runner-x", status=status)
        assert not lifecycle.finish(job.pk, "runner-x", status="failed")
        queued = factories.job(owner, job.server, credential=job.credential)
        lifecycle.request_cancel(queued.pk)
        lifecycle.request_cancel(queued.pk)
    finally:
        job_finished.disconnect(receiver, sender=Job, dispatch_uid="test-once")
    assert seen == [(str(job.pk), status), (str(queued.pk), "cancelled")]


def test_a_failing_receiver_never_breaks_the_transition(owner: Any) -> None:
    def broken(sender: type[Job], **kwargs: Any) -> None:
        raise RuntimeError("receiver bug")

    job_finished.connect(broken, sender=Job, dispatch_uid="test-broken")
    try:
        job = running_job(owner)
        assert lifecycle.finish(job.pk, "runner-x", status="succeeded")
    finally:
        job_finished.disconnect(broken, sender=Job, dispatch_uid="test-broken")
    assert Job.objects.get(pk=job.pk).status == "succeeded"


def test_secret_is_not_in_the_delivery_body(owner: Any) -> None:
    hook = webhook(owner, "http://127.0.0.1:9/", ["job.finished"])
    delivery = services.webhook_send_test(webhook=hook)
    assert SECRET not in delivery.body
    assert crypto.decrypt(hook.secret_encrypted) == SECRET
