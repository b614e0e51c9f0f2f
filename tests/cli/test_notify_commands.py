"""`drs webhooks …`, `drs schedules …` and `drs submit --notify-email` against the real
stack (daphne; no workers: nothing here needs a job to run)."""

from __future__ import annotations

import json

import pytest

from drs.jobs.models import Job
from drs.notifications.models import Delivery, Webhook
from drs.schedules.models import Schedule
from tests.cli.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)

# A public address literal: accepted by the SSRF guard without a DNS lookup.
PUBLIC_URL = "https://93.184.215.14/drs-hook"


def test_webhooks(site: Site) -> None:
    added = site.run("webhooks", "add", PUBLIC_URL, "--event", "job.finished",
                     "--event", "job.failed")  # fmt: skip
    assert added.returncode == 0, added.stderr
    webhook_id = int(added.stdout)
    secret = added.stderr.decode().rsplit(": ", 1)[1].strip()
    assert len(secret) >= 32
    hook = Webhook.objects.get(pk=webhook_id)
    assert hook.owner == site.user
    assert hook.events == ["job.failed", "job.finished"]

    listed = json.loads(site.run("webhooks", "--json").stdout)
    assert [(w["id"], w["url"]) for w in listed] == [(webhook_id, PUBLIC_URL)]
    assert "secret" not in listed[0]
    table = site.run("webhooks").stdout.decode()
    assert table.split()[:4] == ["ID", "ENABLED", "EVENTS", "URL"]

    tested = site.run("webhooks", "test", str(webhook_id))
    assert tested.returncode == 0, tested.stderr
    assert Delivery.objects.get(pk=tested.stdout.decode().strip()).event == "webhook.test"
    log = site.run("webhooks", "deliveries", str(webhook_id), "--json")
    assert log.returncode == 0 and json.loads(log.stdout) == []

    mine = site.run("webhooks", "add", "--secret-stdin", PUBLIC_URL, "--json",
                    input=b"a secret of my own, long enough\n")  # fmt: skip
    assert json.loads(mine.stdout)["secret"] == "a secret of my own, long enough"

    refused = site.run("webhooks", "add", "http://127.0.0.1:8000/x")
    assert refused.returncode == 1
    assert refused.stdout == b""
    lines = refused.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("drs: webhook: url: 127.0.0.1 resolves")

    assert site.run("webhooks", "rm", str(webhook_id)).returncode == 0
    gone = site.run("webhooks", "rm", str(webhook_id))
    assert gone.returncode == 1
    assert gone.stderr.decode().strip() == f"drs: webhook {webhook_id}: not found"


def test_schedules(site: Site) -> None:
    body = {
        "server": site.server.pk,
        "credential": site.credential.pk,
        "interpreter": site.server.interpreters.first().pk,
        "program": "print('nightly')",
    }
    job_file = site.home / "job.json"
    job_file.write_text(json.dumps(body))
    added = site.run("schedules", "add", "nightly", "--cron", "0 2 * * *",
                     "--timezone", "Europe/Paris", "--job", str(job_file))  # fmt: skip
    assert added.returncode == 0, added.stderr
    schedule_id = int(added.stdout)
    assert b"next run: " in added.stderr
    assert Schedule.objects.get(pk=schedule_id).job == body

    shown = site.run("schedules", "show", str(schedule_id)).stdout.decode()
    assert "cron:         0 2 * * *" in shown
    assert shown.count("then:") == 4
    listed = json.loads(site.run("schedules", "--json").stdout)
    assert [s["name"] for s in listed] == ["nightly"]

    off = json.loads(site.run("schedules", "disable", str(schedule_id), "--json").stdout)
    assert off["enabled"] is False and off["next_run_at"] is None

    bad = site.run("schedules", "add", "bad", "--cron", "0 2 * *", "--job", "-",
                   input=json.dumps(body).encode())  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.decode().startswith("drs: schedule: cron: Use 5 fields")
    not_json = site.run("schedules", "add", "x", "--cron", "* * * * *", "--job", "-",
                        input=b"{nope")  # fmt: skip
    assert not_json.returncode == 1
    assert not_json.stderr.decode().startswith("drs: the job body - is not JSON")

    assert site.run("schedules", "rm", str(schedule_id)).returncode == 0
    assert not Schedule.objects.exists()


def test_submit_notify_email(site: Site) -> None:
    asked = site.submit("print(1)", "--notify-email")
    plain = site.submit("print(1)")
    assert Job.objects.get(pk=asked).notify_email is True
    assert Job.objects.get(pk=plain).notify_email is False
