"""Deleting finished jobs (`DELETE /api/jobs/{id}/`) and the retention schedule: logs,
result files and the job directory on a real sshd go; an unreachable host does not keep
the data here. Also the paginated results list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_q.models import Schedule
from rest_framework.test import APIClient

from drs.jobs.models import Job, LogChunk, Result
from drs.jobs.retention import RETENTION_SCHEDULE, ensure_schedule, run_retention
from tests import factories
from tests.api.test_logs import NASTY, store
from tests.fixtures.sshd import Sshd, free_port, key_credential, run_as, ssh_server

pytestmark = pytest.mark.django_db


def remote_job(owner: Any, sshd: Sshd, server: Any, **extra: Any) -> tuple[Job, Path]:
    """A finished job whose directory exists on the fixture sshd, owned by its login."""
    job = factories.job(
        owner, server, credential=key_credential(owner, server, sshd), status="succeeded",
        finished_at=timezone.now(), **extra,
    )  # fmt: skip
    job.remote_directory = f".drs/jobs/{job.pk}"
    job.save(update_fields=["remote_directory"])
    done = run_as(
        sshd.key_user.name,
        f"cd && mkdir -p {job.remote_directory}/sub && echo out > {job.remote_directory}/stdout"
        f" && echo r > {job.remote_directory}/sub/result.txt",
    )
    assert done.returncode == 0, done.stderr
    return job, sshd.key_user.home / job.remote_directory


def with_result(job: Job) -> str:
    result = Result(job=job, path="sub/result.txt", size=2, sha256="0" * 64)
    result.file.save("result.txt", ContentFile(b"r\n"), save=True)
    assert default_storage.exists(result.file.name)
    return result.file.name


def test_delete_removes_log_results_and_remote_directory(
    api: APIClient, owner: Any, sshd: Sshd, django_capture_on_commit_callbacks: Any
) -> None:
    job, directory = remote_job(owner, sshd, ssh_server(sshd))
    store(job, NASTY[:3])
    stored = with_result(job)
    assert directory.is_dir()
    with django_capture_on_commit_callbacks(execute=True):  # files go once rows are gone
        resp = api.delete(f"/api/jobs/{job.pk}/")
    assert resp.status_code == 200, resp.content[:500]
    assert resp.json()["remote_directory_removed"] is True
    assert not directory.exists()
    assert not Job.objects.filter(pk=job.pk).exists()
    assert LogChunk.objects.count() == 0 and Result.objects.count() == 0
    assert not default_storage.exists(stored)
    assert api.get(f"/api/jobs/{job.pk}/").status_code == 404


def test_delete_with_the_host_unreachable_still_deletes_and_says_so(
    api: APIClient, owner: Any, sshd: Sshd, django_capture_on_commit_callbacks: Any
) -> None:
    server = ssh_server(sshd, port=free_port())  # nothing listens there
    job, directory = remote_job(owner, sshd, server)
    stored = with_result(job)
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.delete(f"/api/jobs/{job.pk}/")
    assert resp.status_code == 200, resp.content[:500]
    body = resp.json()
    assert body["remote_directory_removed"] is False
    assert job.remote_directory in body["detail"] and "not removed" in body["detail"]
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(stored)
    assert directory.is_dir()  # it stayed on the host, as the answer says
    run_as(sshd.key_user.name, f"cd && rm -rf {job.remote_directory}")


@pytest.mark.parametrize("status", ["queued", "running"])
def test_active_jobs_cannot_be_deleted(api: APIClient, owner: Any, status: str) -> None:
    job = factories.job(owner, status=status)
    resp = api.delete(f"/api/jobs/{job.pk}/")
    assert resp.status_code == 409 and "cancel it first" in resp.json()["detail"]
    assert Job.objects.filter(pk=job.pk).exists()


def test_only_the_owner_deletes(stranger_api: APIClient, staff_api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="failed")
    assert stranger_api.delete(f"/api/jobs/{job.pk}/").status_code == 404
    resp = staff_api.delete(f"/api/jobs/{job.pk}/")
    assert resp.status_code == 403 and "owner" in resp.json()["detail"]
    assert Job.objects.filter(pk=job.pk).exists()


def test_directories_outside_the_job_are_never_removed(
    api: APIClient, owner: Any, sshd: Sshd
) -> None:
    job, directory = remote_job(owner, sshd, ssh_server(sshd))
    job.remote_directory = ".drs/jobs"  # not this job's own directory
    job.save(update_fields=["remote_directory"])
    resp = api.delete(f"/api/jobs/{job.pk}/")
    assert resp.json()["remote_directory_removed"] is False
    assert "not a DRS job directory" in resp.json()["detail"]
    assert directory.is_dir()
    run_as(sshd.key_user.name, f"cd && rm -rf .drs/jobs/{directory.name}")


def test_retention_removes_old_remote_directories(owner: Any, sshd: Sshd, settings: Any) -> None:
    settings.DRS_REMOTE_RETENTION_DAYS = 7
    server = ssh_server(sshd)
    old, old_dir = remote_job(owner, sshd, server)
    recent, recent_dir = remote_job(owner, sshd, server)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - timedelta(days=6))
    counts = run_retention()
    print(f"\nretention run: {counts}")
    assert counts == {"removed": 1, "failed": 0, "jobs_deleted": 0, "files_deleted": 0}
    assert not old_dir.exists() and recent_dir.is_dir()
    old.refresh_from_db()
    assert old.remote_directory == ""  # the job itself and its log stay
    assert run_retention()["removed"] == 0  # nothing left to do
    run_as(sshd.key_user.name, f"cd && rm -rf {recent.remote_directory}")


def test_retention_of_finished_jobs_when_configured(
    owner: Any, sshd: Sshd, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DRS_JOB_RETENTION_DAYS = None
    server = ssh_server(sshd)
    old, old_dir = remote_job(owner, sshd, server)
    store(old, NASTY[:2])
    stored = with_result(old)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))
    running = factories.job(owner, server, status="running")
    Job.objects.filter(pk=running.pk).update(created_at=timezone.now() - timedelta(days=90))
    settings.DRS_REMOTE_RETENTION_DAYS = 100  # only the job retention acts here
    assert run_retention()["jobs_deleted"] == 0  # unset: jobs are kept
    settings.DRS_JOB_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        assert run_retention()["jobs_deleted"] == 1
    assert not Job.objects.filter(pk=old.pk).exists() and not old_dir.exists()
    assert not default_storage.exists(stored) and LogChunk.objects.count() == 0
    assert Job.objects.filter(pk=running.pk).exists()


def test_schedule_is_registered_once(db: None) -> None:
    ensure_schedule()
    ensure_schedule()
    rows = Schedule.objects.filter(name=RETENTION_SCHEDULE)
    assert rows.count() == 1
    assert rows.get().func == "drs.jobs.retention.run_retention"
    Schedule.objects.create(name=RETENTION_SCHEDULE, func="x")  # a racing duplicate
    ensure_schedule()
    assert rows.count() == 1


def test_results_list_is_paginated(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    Result.objects.bulk_create(
        Result(job=job, path=f"out/{i:04d}.txt", size=i, sha256="0" * 64, file=f"x/{i}")
        for i in range(120)
    )
    whole = api.get(f"/api/jobs/{job.pk}/results/")
    assert len(whole.json()) == 120 and whole["X-Total-Count"] == "120"
    assert "Link" not in whole  # the default page holds all of them
    first = api.get(f"/api/jobs/{job.pk}/results/?page_size=50")
    assert [r["path"] for r in first.json()][:2] == ["out/0000.txt", "out/0001.txt"]
    assert len(first.json()) == 50 and "page=2" in first["Link"] and 'rel="next"' in first["Link"]
    last = api.get(f"/api/jobs/{job.pk}/results/?page_size=50&page=3")
    assert [r["path"] for r in last.json()] == [f"out/{i:04d}.txt" for i in range(100, 120)]
    assert 'rel="next"' not in last["Link"] and 'rel="prev"' in last["Link"]
    assert len(api.get(f"/api/jobs/{job.pk}/results/?page_size=5000").json()) == 120
    assert api.get(f"/api/jobs/{job.pk}/results/?page=9").status_code == 404
