from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from drs.common.isotime import iso_time
from drs.jobs.models import Job, LogChunk, Result
from tests import factories

pytestmark = pytest.mark.django_db

NASTY = [
    ("stdout", b"plain line\n"),
    ("stderr", b"invalid utf-8: \xff\xfe\xc3(\n"),
    ("stdout", b"nul \x00 bytes \x00\x00\n"),
    ("stdout", b"x" * (1024 * 1024) + b"\n"),  # a 1 MB line
    ("stderr", "unicode \u00e9\u4e2d\U0001f600\n".encode()),
    ("stdout", b"\r progress 50%\r progress 100%\n\x1b[31mred\x1b[0m\n"),
]


def store(job: Job, chunks: list[tuple[str, bytes]]) -> None:
    """As the runner stores a log: offsets per stream, line numbers across both."""
    offsets = {"stdout": 0, "stderr": 0}
    lines = 0
    rows = []
    for seq, (stream, data) in enumerate(chunks, start=job.last_seq + 1):
        rows.append(
            LogChunk(
                job=job,
                seq=seq,
                stream=stream,
                offset=offsets[stream],
                data=data,
                time=timezone.now(),
                line=lines,
            )
        )
        offsets[stream] += len(data)
        lines += data.count(b"\n")
    LogChunk.objects.bulk_create(rows, batch_size=500)
    job.last_seq += len(chunks)
    job.line_count = lines
    job.save(update_fields=["last_seq", "line_count"])


def test_log_txt_is_byte_exact(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    store(job, NASTY)
    for stream, expected in [
        ("all", b"".join(d for _, d in NASTY)),
        ("stdout", b"".join(d for s, d in NASTY if s == "stdout")),
        ("stderr", b"".join(d for s, d in NASTY if s == "stderr")),
    ]:
        resp = api.get(f"/api/jobs/{job.pk}/log.txt?stream={stream}")
        assert resp.status_code == 200
        assert resp["Content-Type"].startswith("text/plain")
        assert b"".join(resp.streaming_content) == expected, stream
    assert api.get(f"/api/jobs/{job.pk}/log.txt", HTTP_ACCEPT="text/plain").status_code == 200
    download = api.get(f"/api/jobs/{job.pk}/log.txt?download=true")
    assert download["Content-Disposition"].startswith("attachment")
    assert api.get(f"/api/jobs/{job.pk}/log.txt?stream=both").status_code == 400


def test_log_pages_return_every_chunk_once_in_order(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="running")
    chunks = [("stdout" if i % 3 else "stderr", f"line {i}\n".encode()) for i in range(1, 2501)]
    store(job, chunks)
    seen: list[int] = []
    after = 0
    while True:
        page = api.get(f"/api/jobs/{job.pk}/logs/?after={after}&limit=700").json()
        seen += [c["seq"] for c in page["results"]]
        assert page["complete"] is False
        if not page["results"]:
            break
        after = page["next_after"]
    assert seen == list(range(1, 2501))
    job.status = "succeeded"
    job.save()
    last = api.get(f"/api/jobs/{job.pk}/logs/?after=2400&limit=700").json()
    assert last["complete"] is True and last["next_after"] == 2500
    assert api.get(f"/api/jobs/{job.pk}/logs/?after=2500").json() == {
        "results": [],
        "next_after": 2500,
        "first_seq": None,
        "has_earlier": True,
        "complete": True,
        "last_seq": 2500,
        "line_count": 2500,
    }


def test_log_page_decodes_text_and_keeps_offsets(api: APIClient, owner: Any) -> None:
    job = factories.job(owner)
    store(job, NASTY[:3])
    results = api.get(f"/api/jobs/{job.pk}/logs/").json()["results"]
    assert [(r["seq"], r["stream"], r["offset"], r["line"]) for r in results] == [
        (1, "stdout", 0, 0),
        (2, "stderr", 0, 1),
        (3, "stdout", 11, 2),
    ]
    # Times read as the websocket sends them: UTC, microseconds always shown, `Z`.
    stored = LogChunk.objects.filter(job=job).order_by("seq")
    assert [r["time"] for r in results] == [iso_time(c.time) for c in stored]
    LogChunk.objects.filter(job=job, seq=1).update(time=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    first = api.get(f"/api/jobs/{job.pk}/logs/?limit=1").json()["results"][0]
    assert first["time"] == "2026-01-02T03:04:05.000000Z"
    assert results[1]["data"] == "invalid utf-8: \ufffd\ufffd\ufffd(\n"
    assert results[2]["data"] == "nul \x00 bytes \x00\x00\n"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("after=-1", "after"),
        ("after=x", "after"),
        ("after=1.5", "after"),
        ("limit=0", "limit"),
        ("limit=5001", "limit"),
        ("limit=abc", "limit"),
        ("before=0", "before"),
        ("before=-3", "before"),
        ("tail=0", "tail"),
        ("tail=x", "tail"),
        ("tail=5001", "tail"),
        ("max_bytes=0", "max_bytes"),
        ("max_bytes=big", "max_bytes"),
        ("stream=both", "stream"),
        ("after=1&before=5", "before"),
        ("tail=5&after=1", "tail"),
        ("tail=5&before=9", "tail"),
    ],
)
def test_log_query_validation(api: APIClient, owner: Any, query: str, field: str) -> None:
    job = factories.job(owner)
    resp = api.get(f"/api/jobs/{job.pk}/logs/?{query}")
    assert resp.status_code == 400
    assert field in resp.json(), resp.json()


def test_results_list_and_download(api: APIClient, stranger_api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    content = b"fit results\x00\xff" * 1000
    result = Result(
        job=job, path="out/fit.txt", size=len(content), sha256=hashlib.sha256(content).hexdigest()
    )
    result.file.save("ignored", ContentFile(content), save=True)
    body = api.get(f"/api/jobs/{job.pk}/results/").json()
    listing = body["results"] if isinstance(body, dict) else body  # paginated or not
    assert listing == [
        {
            "id": result.pk,
            "path": "out/fit.txt",
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "created_at": listing[0]["created_at"],
            "download_url": f"/api/jobs/{job.pk}/results/{result.pk}/download/",
        }
    ]
    resp = api.get(listing[0]["download_url"])
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == content
    assert 'filename="fit.txt"' in resp["Content-Disposition"]
    assert stranger_api.get(listing[0]["download_url"]).status_code == 404
    other = factories.job(owner, factories.server("s2"))
    assert api.get(f"/api/jobs/{other.pk}/results/{result.pk}/download/").status_code == 404
