"""Secret canary: a credential's password and private key appear nowhere they should not."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from drs.jobs.choices import TERMINAL_STATUSES
from drs.jobs.models import Job
from drs.jobs.services import job_create
from tests import factories
from tests.fixtures.sshd import Sshd, key_credential, password_credential
from tests.fixtures.workers import Workers

pytestmark = pytest.mark.django_db(transaction=True)


def canaries(sshd: Sshd) -> list[str]:
    key_lines = sshd.key_user.private_key.strip().splitlines()[1:-1]
    return [sshd.password_user.password, *key_lines]


def assert_clean(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret leaked into {where}"


def test_secret_canary(
    owner: Any,
    server: Any,
    sshd: Sshd,
    api: APIClient,
    start_workers: Callable[..., Workers],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secrets = canaries(sshd)
    workers = start_workers(workers=2)
    interp = factories.interpreter("sh", "/bin/sh", [])
    by_password = password_credential(owner, server, sshd)
    by_key = key_credential(owner, server, sshd)
    broken = password_credential(owner, server, sshd)
    broken.set_secrets(type(broken.get_secrets())(password=sshd.password_user.password + "x"))
    broken.save()
    jobs = [
        job_create(
            owner=owner,
            title=f"canary {cred.pk}",
            server=server,
            credential=cred,
            interpreter=interp,
            program="echo hello; env | sort",
        )
        for cred in (by_password, by_key, broken)
    ]
    deadline = time.monotonic() + 120
    while not all(Job.objects.get(pk=j.pk).status in TERMINAL_STATUSES for j in jobs):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    statuses = [Job.objects.get(pk=j.pk).status for j in jobs]
    assert statuses == ["succeeded", "succeeded", "failed"]
    assert "Authentication failed" in Job.objects.get(pk=jobs[2].pk).error

    # API output.
    for url in [
        "/api/credentials/",
        *[f"/api/credentials/{c.pk}/" for c in (by_password, by_key, broken)],
        "/api/jobs/",
        *[f"/api/jobs/{j.pk}/" for j in jobs],
        *[f"/api/jobs/{j.pk}/logs/" for j in jobs],
    ]:
        response = api.get(url)
        assert response.status_code == 200, url
        assert_clean(response.content.decode(errors="replace"), secrets, url)

    # Worker logs (the qcluster output) and this process's logs.
    assert_clean(workers.log_text(), secrets, "worker logs")
    assert_clean(caplog.text, secrets, "test process logs")

    # django-q2 task payloads: queued and finished tasks carry the job id only.
    from django_q.models import OrmQ, Task
    from django_q.signing import SignedPackage

    for row in OrmQ.objects.all():
        assert_clean(repr(SignedPackage.loads(row.payload)), secrets, "queued task")
    for task in Task.objects.all():
        assert_clean(repr((task.func, task.args, task.kwargs, task.result)), secrets, "task")
        if task.func == "drs.jobs.tasks.run_job":
            assert len(task.args) == 1

    # Database plaintext: every column of every row, and for SQLite the raw files.
    for model in apps.get_models():
        for values in model.objects.values_list():
            assert_clean(repr(values), secrets, model._meta.label)
    if connection.vendor == "sqlite":
        name = Path(django_settings.DATABASES["default"]["NAME"])
        if not name.exists():
            name = Path(connection.settings_dict["NAME"])
        for path in (name, name.with_name(name.name + "-wal")):
            if path.exists():
                raw = path.read_bytes()
                for secret in secrets:
                    assert secret.encode() not in raw, f"a secret is in {path.name}"
