"""The logs endpoint's three reads (forward, tail, before), its stream filter and byte bound."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.models import Job
from tests import factories
from tests.api.test_logs import store

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(owner: Any) -> Job:
    """60 chunks of 100 bytes; every 4th to stderr; chunk 60 is stdout."""
    job = factories.job(owner, status="running")
    store(
        job,
        [
            ("stderr" if seq % 4 == 0 and seq != 60 else "stdout", b"%099d\n" % seq)
            for seq in range(1, 61)
        ],
    )
    return job


def page(api: APIClient, job: Job, **params: Any) -> dict[str, Any]:
    resp = api.get(f"/api/jobs/{job.pk}/logs/", params)
    assert resp.status_code == 200, resp.content[:300]
    body: dict[str, Any] = resp.json()
    seqs = [r["seq"] for r in body["results"]]
    assert seqs == sorted(seqs), "ascending in every mode"
    assert body["first_seq"] == (seqs[0] if seqs else None)
    assert (body["last_seq"], body["line_count"]) == (60, 60)
    return body


def seqs(body: dict[str, Any]) -> list[int]:
    return [r["seq"] for r in body["results"]]


def test_tail_then_before_reads_back_to_the_start(api: APIClient, job: Job) -> None:
    tail = page(api, job, tail=7)
    assert seqs(tail) == list(range(54, 61))
    assert tail["next_after"] == 60 and tail["has_earlier"] and not tail["complete"]
    assert [r["line"] for r in tail["results"]] == list(range(53, 60))
    got = seqs(tail)
    before = tail["first_seq"]
    while True:
        body = page(api, job, before=before, limit=25)
        got = seqs(body) + got
        if not body["has_earlier"]:
            break
        before = body["first_seq"]
    assert got == list(range(1, 61))
    assert page(api, job, before=1)["results"] == []
    whole = page(api, job, tail=100)
    assert seqs(whole) == list(range(1, 61)) and not whole["has_earlier"]


def test_forward_flags(api: APIClient, job: Job) -> None:
    first = page(api, job, limit=10)
    assert seqs(first) == list(range(1, 11)) and not first["has_earlier"]
    middle = page(api, job, after=30, limit=10)
    assert seqs(middle) == list(range(31, 41)) and middle["has_earlier"]
    assert middle["next_after"] == 40 and not middle["complete"]
    end = page(api, job, after=60)
    assert end["results"] == [] and end["next_after"] == 60 and not end["complete"]
    Job.objects.filter(pk=job.pk).update(status="succeeded")
    assert page(api, job, after=55)["complete"]
    assert page(api, job, tail=3)["complete"]
    assert not page(api, job, before=50, limit=3)["complete"]


def test_stream_filter_keeps_seq_gaps(api: APIClient, job: Job) -> None:
    err = page(api, job, stream="stderr", limit=5)
    assert seqs(err) == [4, 8, 12, 16, 20]
    assert {r["stream"] for r in err["results"]} == {"stderr"}
    assert seqs(page(api, job, stream="stderr", after=err["next_after"], limit=2)) == [24, 28]
    tail = page(api, job, stream="stderr", tail=3)
    assert seqs(tail) == [48, 52, 56] and tail["has_earlier"]
    assert seqs(page(api, job, stream="stderr", before=48, limit=2)) == [40, 44]
    assert not page(api, job, stream="stderr", before=8)["has_earlier"]  # only seq 4 before
    out = page(api, job, stream="stdout", tail=2)
    assert seqs(out) == [59, 60]
    # The job ends with a stdout chunk: a stderr reader is complete after seq 56.
    Job.objects.filter(pk=job.pk).update(status="failed")
    done = page(api, job, stream="stderr", after=52)
    assert seqs(done) == [56] and done["complete"]
    assert not page(api, job, stream="stderr", after=40, limit=1)["complete"]


def test_pages_are_bounded_by_bytes(api: APIClient, job: Job) -> None:
    assert seqs(page(api, job, max_bytes=250)) == [1, 2]
    assert seqs(page(api, job, max_bytes=1)) == [1]  # always at least one chunk
    tail = page(api, job, tail=10, max_bytes=300)
    assert seqs(tail) == [58, 59, 60] and tail["has_earlier"]
    assert seqs(page(api, job, before=30, limit=10, max_bytes=200)) == [28, 29]
    assert seqs(page(api, job, stream="stderr", max_bytes=200)) == [4, 8]


def test_big_chunks_and_empty_log(api: APIClient, owner: Any) -> None:
    job = factories.job(owner, status="succeeded")
    empty = page_of(api, job, tail=5)
    assert empty == {
        "results": [],
        "next_after": 0,
        "first_seq": None,
        "has_earlier": False,
        "complete": True,
        "last_seq": 0,
        "line_count": 0,
    }
    store(job, [("stdout", b"y" * 65536) for _ in range(40)])
    assert len(page_of(api, job)["results"]) == 16  # 1 MiB by default
    assert len(page_of(api, job, tail=100, max_bytes=3 * 65536)["results"]) == 3


def page_of(api: APIClient, job: Job, **params: Any) -> dict[str, Any]:
    resp = api.get(f"/api/jobs/{job.pk}/logs/", params)
    assert resp.status_code == 200
    body: dict[str, Any] = resp.json()
    return body
