"""Uploads (`/api/files/`) and job inputs as the API sees them: streamed, hashed, capped,
owner-scoped, validated, kept on rerun and while jobs use them."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from drs.files.models import File
from drs.files.services import delete_unused_files
from drs.files.uploads import partial_directory
from drs.jobs.models import Job, Result
from tests import factories

pytestmark = pytest.mark.django_db

DATA = b"\x00binary\x00data\n" * 1000 + os.urandom(5000)


def upload(client: APIClient, data: bytes = DATA, name: str = "run1.dat", **extra: Any) -> Any:
    return client.post(
        "/api/files/", {"file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


def body_bytes(resp: Any) -> bytes:
    return b"".join(resp.streaming_content)


def test_upload_is_stored_hashed_and_downloaded_exactly(api: APIClient) -> None:
    resp = upload(api)
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["name"] == "run1.dat"
    assert body["size"] == len(DATA)
    assert body["sha256"] == hashlib.sha256(DATA).hexdigest()
    assert api.get(f"/api/files/{body['id']}/").json()["sha256"] == body["sha256"]
    assert [f["id"] for f in api.get("/api/files/").json()["results"]] == [body["id"]]
    download = api.get(f"/api/files/{body['id']}/download/")
    assert download.status_code == 200
    assert body_bytes(download) == DATA
    # No partial upload left behind: the stored file was moved, not copied.
    assert os.listdir(partial_directory() or "/nonexistent") == []


def test_upload_name_field_overrides_the_file_name(api: APIClient) -> None:
    resp = api.post(
        "/api/files/",
        {"file": SimpleUploadedFile("x.bin", b"abc"), "name": "curve.dat"},
        format="multipart",
    )
    assert resp.status_code == 201
    assert resp.json()["name"] == "curve.dat"


def test_upload_without_a_file_is_400_naming_file(api: APIClient) -> None:
    resp = api.post("/api/files/", {"name": "x"}, format="multipart")
    assert resp.status_code == 400
    assert "file" in resp.json()


def test_upload_over_the_cap_is_413_while_streaming(api: APIClient, settings: Any) -> None:
    settings.DRS_MAX_UPLOAD_BYTES = 1000  # the body (≈ 21 kB) passes the length check
    resp = upload(api)
    assert resp.status_code == 413
    assert "DRS_MAX_UPLOAD_BYTES" in resp.json()["detail"]
    assert File.objects.count() == 0
    assert os.listdir(partial_directory() or "/nonexistent") == []


def test_upload_over_the_cap_is_413_from_its_length(api: APIClient, settings: Any) -> None:
    settings.DRS_MAX_UPLOAD_BYTES = 10
    resp = upload(api, os.urandom(200_000))
    assert resp.status_code == 413
    # Refused by the per-view body limit (common/bodylimit.py) before the view runs.
    assert "too large" in resp.json()["detail"]
    assert File.objects.count() == 0


def test_another_users_file_is_404(api: APIClient, stranger_api: APIClient) -> None:
    file_id = upload(api).json()["id"]
    for url in (f"/api/files/{file_id}/", f"/api/files/{file_id}/download/"):
        assert stranger_api.get(url).status_code == 404
    assert stranger_api.delete(f"/api/files/{file_id}/").status_code == 404
    assert stranger_api.get("/api/files/").json()["results"] == []
    assert File.objects.filter(pk=file_id).exists()


def test_staff_see_every_file(api: APIClient, staff_api: APIClient) -> None:
    file_id = upload(api).json()["id"]
    assert staff_api.get(f"/api/files/{file_id}/").json()["owner"] == "owner"


def test_delete_removes_the_bytes(api: APIClient, django_capture_on_commit_callbacks: Any) -> None:
    file_id = upload(api).json()["id"]
    name = File.objects.get(pk=file_id).blob.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/files/{file_id}/").status_code == 204
    assert not default_storage.exists(name)
    assert api.get(f"/api/files/{file_id}/").status_code == 404


# --- inputs on jobs ---------------------------------------------------------------------


@pytest.fixture
def setup(owner: Any) -> dict[str, Any]:
    srv = factories.server()
    cred = factories.credential(owner, srv)
    return {"server": srv, "credential": cred, "interpreter": srv.interpreters.get(name="sh")}


def submit(client: APIClient, setup: dict[str, Any], inputs: list[dict[str, Any]]) -> Any:
    body = {
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "interpreter": setup["interpreter"].pk,
        "program": "cat data/run1.dat\n",
        "inputs": inputs,
    }
    return client.post("/api/jobs/", body, format="json")


def finished_job_with_result(owner: Any, setup: dict[str, Any]) -> Result:
    job = factories.job(owner, setup["server"], credential=setup["credential"], status="succeeded")
    result = Result(job=job, path="out/fit.json", size=2, sha256=hashlib.sha256(b"{}").hexdigest())
    result.file.save("fit", ContentFile(b"{}"), save=False)
    result.save()
    return result


def test_inputs_are_shown_with_size_and_sha256_and_kept_on_rerun(
    api: APIClient, owner: Any, setup: dict[str, Any]
) -> None:
    file_id = upload(api).json()["id"]
    result = finished_job_with_result(owner, setup)
    resp = submit(api, setup, [{"file": file_id, "path": "data/run1.dat"}, {"result": result.pk}])
    assert resp.status_code == 201, resp.json()
    inputs = resp.json()["inputs"]
    assert [(i["path"], i["size"], i["sha256"]) for i in inputs] == [
        ("data/run1.dat", len(DATA), hashlib.sha256(DATA).hexdigest()),
        ("fit.json", 2, result.sha256),  # a result's default path is its base name
    ]
    assert inputs[0]["download_url"] == f"/api/files/{file_id}/download/"
    assert inputs[1]["result_job"] == str(result.job_id)
    job_id = resp.json()["id"]
    Job.objects.filter(pk=job_id).update(status="succeeded")
    rerun = api.post(f"/api/jobs/{job_id}/rerun/")
    assert rerun.status_code == 201
    assert rerun.json()["inputs"] == inputs
    assert api.get(f"/api/jobs/{rerun.json()['id']}/").json()["inputs"] == inputs


@pytest.mark.parametrize(
    "path",
    ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a/", "stdout", "program",
     ".drs-staged", "x.drs-part", "a\nb", "a\0b", "é" * 200],
)  # fmt: skip
def test_bad_input_paths_are_400_naming_inputs(
    api: APIClient, setup: dict[str, Any], path: str
) -> None:
    file_id = upload(api).json()["id"]
    resp = submit(api, setup, [{"file": file_id, "path": path}])
    assert resp.status_code == 400, path
    assert "inputs" in resp.json()
    assert Job.objects.count() == 0


def test_duplicate_and_nested_paths_are_400_naming_inputs(
    api: APIClient, setup: dict[str, Any]
) -> None:
    file_id = upload(api).json()["id"]
    for paths in (["a.dat", "a.dat"], ["a", "a/b"]):
        resp = submit(api, setup, [{"file": file_id, "path": p} for p in paths])
        assert resp.status_code == 400
        assert "inputs" in resp.json()


def test_missing_or_another_users_sources_are_400_naming_inputs(
    api: APIClient, stranger_api: APIClient, stranger: Any, setup: dict[str, Any]
) -> None:
    theirs = upload(stranger_api).json()["id"]
    their_result = finished_job_with_result(stranger, setup)
    for item in (
        {"file": theirs},
        {"file": "00000000-0000-0000-0000-000000000000"},
        {"result": their_result.pk},
        {"result": 999999},
        {},
        {"file": theirs, "result": their_result.pk},
    ):
        resp = submit(api, setup, [item])
        assert resp.status_code == 400, item
        assert "inputs" in resp.json(), item
    assert Job.objects.filter(owner__username="owner").count() == 0


def test_a_file_in_use_is_kept_and_its_job_deletes_first(
    api: APIClient, owner: Any, setup: dict[str, Any], settings: Any
) -> None:
    file_id = upload(api).json()["id"]
    result = finished_job_with_result(owner, setup)
    job_id = submit(api, setup, [{"file": file_id}, {"result": result.pk}]).json()["id"]
    assert api.delete(f"/api/files/{file_id}/").status_code == 409
    # The job whose result is an input is kept while the later job exists.
    assert api.delete(f"/api/jobs/{result.job_id}/").status_code == 409
    settings.DRS_FILE_RETENTION_DAYS = 1
    File.objects.filter(pk=file_id).update(created_at=timezone.now() - timedelta(days=3))
    assert delete_unused_files() == 0
    Job.objects.filter(pk=job_id).update(status="succeeded")
    assert api.delete(f"/api/jobs/{job_id}/").status_code == 200
    assert api.delete(f"/api/files/{file_id}/").status_code == 204


def test_retention_deletes_old_unused_files_only_when_enabled(
    api: APIClient, settings: Any
) -> None:
    old, new = (upload(api).json()["id"] for _ in range(2))
    File.objects.filter(pk=old).update(created_at=timezone.now() - timedelta(days=3))
    assert settings.DRS_FILE_RETENTION_DAYS is None
    assert delete_unused_files() == 0
    settings.DRS_FILE_RETENTION_DAYS = 2
    assert delete_unused_files() == 1
    assert list(File.objects.values_list("pk", flat=True)) == [File.objects.get(pk=new).pk]


def test_asgi_refuses_a_declared_length_over_the_cap_before_reading(settings: Any) -> None:
    from asgiref.sync import async_to_sync

    from drs.files.uploads import UploadBodyLimit

    settings.DRS_MAX_UPLOAD_BYTES = 1000
    reached: list[str] = []
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    def scope(path: str, length: int) -> dict[str, Any]:
        headers = [(b"content-length", str(length).encode())]
        return {"type": "http", "method": "POST", "path": path, "headers": headers}

    limit = UploadBodyLimit(app)
    async_to_sync(limit)(scope("/api/files/", 10**9), receive, send)
    assert sent[0]["status"] == 413
    assert b"DRS_MAX_UPLOAD_BYTES" in sent[1]["body"]
    assert reached == []
    async_to_sync(limit)(scope("/api/files/", 2000), receive, send)
    async_to_sync(limit)(scope("/api/jobs/", 10**9), receive, send)
    assert reached == ["/api/files/", "/api/jobs/"]
