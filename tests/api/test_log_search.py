"""Search over the whole log: lines, not chunks; paged by line number; counted up to a cap."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from drs.jobs import logsearch, selectors, sql
from drs.jobs.models import Job, LogChunk
from tests import factories
from tests.api.test_logs import store

pytestmark = pytest.mark.django_db

CHUNKS = [
    ("stdout", b"Epoch 1 loss 0.5\nEpoch 2 lo"),  # line 1 spans two chunks...
    ("stdout", b"ss 0.4\nepoch 3 LOSS 0.3\n"),  # ...and its match crosses the boundary
    ("stderr", b"warning: bad \xff\xfe bytes loss\n"),
    ("stdout", b"\xc3\xa9t\xc3\xa9 ok\nno match here\n"),
    ("stderr", b"progress 10%\rprogress 100%"),  # unfinished line, continued on stdout
    ("stdout", b" done\nlast line without newline loss"),
]


@pytest.fixture
def job(owner: Any) -> Job:
    job = factories.job(owner, status="succeeded")
    store(job, CHUNKS)
    return job


def search(api: APIClient, job: Job, **params: Any) -> dict[str, Any]:
    resp = api.get(f"/api/jobs/{job.pk}/logs/search/", params)
    assert resp.status_code == 200, resp.content[:300]
    body: dict[str, Any] = resp.json()
    return body


def test_lines_across_chunks_case_and_bad_bytes(api: APIClient, job: Job) -> None:
    body = search(api, job, q="loss")
    assert body["results"] == [
        {"line": 0, "seq": 1, "stream": "stdout", "text": "Epoch 1 loss 0.5"},
        {"line": 1, "seq": 1, "stream": "stdout", "text": "Epoch 2 loss 0.4"},
        {"line": 2, "seq": 2, "stream": "stdout", "text": "epoch 3 LOSS 0.3"},
        {"line": 3, "seq": 3, "stream": "stderr", "text": "warning: bad \ufffd\ufffd bytes loss"},
        {"line": 7, "seq": 6, "stream": "stdout", "text": "last line without newline loss"},
    ]
    assert (body["count"], body["capped"], body["next_cursor"]) == (5, False, None)
    assert [r["line"] for r in search(api, job, q="ÉTÉ")["results"]] == [4]
    spanning = search(api, job, q="100% done")["results"]
    assert spanning == [
        {"line": 6, "seq": 5, "stream": "stderr", "text": "progress 10%\rprogress 100% done"}
    ]
    assert search(api, job, q="nothing like this") == {
        "results": [],
        "count": 0,
        "capped": False,
        "next_cursor": None,
    }


def test_stream_filter(api: APIClient, job: Job) -> None:
    err = search(api, job, q="loss", stream="stderr")
    assert [(r["line"], r["seq"]) for r in err["results"]] == [(3, 3)]
    out = search(api, job, q="o", stream="stdout")["results"]
    assert {r["stream"] for r in out} == {"stdout"}
    # Line 6 starts on stderr: the stdout view of it is the part stdout wrote.
    assert {"line": 6, "seq": 6, "stream": "stdout", "text": " done"} in out


def test_cursor_pages_and_cap(api: APIClient, owner: Any, monkeypatch: Any) -> None:
    job = factories.job(owner, status="running")
    store(job, [("stdout", b"".join(b"row %d%s\n" % (i, b" hit" * (i % 2)) for i in range(500)))])
    lines: list[int] = []
    cursor: int | None = 0
    while cursor is not None:
        body = search(api, job, q="HIT", cursor=cursor, limit=40)
        assert body["count"] == 250 and not body["capped"]
        lines += [r["line"] for r in body["results"]]
        cursor = body["next_cursor"]
    assert lines == list(range(1, 500, 2))
    monkeypatch.setattr(logsearch, "COUNT_CAP", 100)
    capped = search(api, job, q="hit", limit=10)
    assert (capped["count"], capped["capped"], capped["next_cursor"]) == (100, True, 21)
    deep = search(api, job, q="hit", cursor=401, limit=200)
    assert (deep["count"], deep["capped"], deep["next_cursor"]) == (100, True, None)
    assert [r["line"] for r in deep["results"]] == list(range(401, 500, 2))


def test_long_lines_are_truncated(api: APIClient, owner: Any) -> None:
    job = factories.job(owner)
    store(
        job,
        [("stdout", "é".encode() * 3000), ("stdout", b"x" * 100_000 + b" needle\n")],
    )
    [match] = search(api, job, q="NEEDLE")["results"]
    assert match["line"] == 0 and match["seq"] == 1
    assert match["text"] == "é" * 2000


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=", "q"),
        ("", "q"),
        ("q=a%0Ab", "q"),
        ("q=x&cursor=-1", "cursor"),
        ("q=x&cursor=a", "cursor"),
        ("q=x&limit=0", "limit"),
        ("q=x&limit=201", "limit"),
        ("q=x&stream=all", "stream"),
    ],
)
def test_bad_queries(api: APIClient, job: Job, query: str, field: str) -> None:
    resp = api.get(f"/api/jobs/{job.pk}/logs/search/?{query}")
    assert resp.status_code == 400
    assert field in resp.json(), resp.json()


def test_other_users_job_is_404(stranger_api: APIClient, staff_api: APIClient, job: Job) -> None:
    assert stranger_api.get(f"/api/jobs/{job.pk}/logs/search/?q=loss").status_code == 404
    assert staff_api.get(f"/api/jobs/{job.pk}/logs/search/?q=loss").json()["count"] == 5


def test_matcher_boundaries() -> None:
    """A match split at every possible chunk boundary is found exactly once."""
    text = b"alpha beta\ngamma delta\n"
    for cut in range(1, len(text)):
        rows = [(1, "stdout", 0, text[:cut]), (2, "stdout", text[:cut].count(b"\n"), text[cut:])]
        found = list(logsearch.matching_lines(rows, logsearch.Matcher("MA DEL")))
        assert [(n, bytes(head)) for n, _seq, _stream, head in found] == [(1, b"gamma delta")]


@pytest.mark.parametrize("parallel", [False, True])
def test_narrowed_read_finds_what_the_full_scan_finds(
    owner: Any, monkeypatch: Any, parallel: bool
) -> None:
    """On PostgreSQL an ASCII search reads only candidate chunks (sql.candidate_seqs), a
    needle without letters in the raw bytes, a long log's in parallel workers when
    PostgreSQL has them: on random logs (lines across chunks and streams, NUL,
    backslashes, high bytes) it finds exactly what scanning every chunk finds. On SQLite
    both are the full scan."""
    if parallel:
        monkeypatch.setattr(sql, "PARALLEL_FROM", 0)
    rng = random.Random(12)
    alphabet = [b"a", b"B", b"\n", b"\\", b"\x00", b"\xff", b"ab", b"AB\n", b"\xc3\xa9", b" "]
    job = factories.job(owner, status="succeeded")
    store(
        job,
        [
            (
                rng.choice(["stdout", "stderr"]),
                b"".join(rng.choices(alphabet, k=rng.randint(1, 12))),
            )
            for _ in range(400)
        ],
    )
    all_rows = list(
        LogChunk.objects.filter(job=job)
        .order_by("seq")
        .values_list("seq", "stream", "line", "data")
    )
    for q in ["ab", "b\\a", "A B", "\\", "bab", "É", "a\\\\", " ", "\\ ", "\\\\"]:
        for stream in [None, "stdout", "stderr"]:
            rows = [r for r in all_rows if stream is None or r[1] == stream]
            expected = logsearch.search(rows, q, cursor=0, limit=200)
            got = selectors.log_search(job=job, q=q, stream=stream, cursor=0, limit=200)
            assert got == expected, (q, stream)


@pytest.mark.django_db(transaction=True)
def test_search_outside_a_transaction(owner: Any, monkeypatch: Any) -> None:
    """As a request searches (autocommit): the planner costs a long log's search sets hold
    for its own transaction only, so the pooled connection goes back as it came."""
    monkeypatch.setattr(sql, "PARALLEL_FROM", 0)
    job = factories.job(owner, status="succeeded")
    store(job, CHUNKS)
    job.refresh_from_db()

    def costs() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('parallel_setup_cost'), "
                "current_setting('parallel_tuple_cost')"
            )
            return list(cursor.fetchone())

    before = costs() if sql.postgresql() else []
    narrowed = selectors.log_search(job=job, q="loss", limit=2)
    assert (narrowed["count"], narrowed["next_cursor"]) == (5, 2)
    assert selectors.log_search(job=job, q="0.")["count"] == 3
    if sql.postgresql():
        assert costs() == before != ["0", "0"]
    # Too many candidates: the whole log is read in order (a server-side cursor on
    # PostgreSQL, here outside the test's transaction), stopping early all the same.
    monkeypatch.setattr(sql, "MAX_CANDIDATES", 0)
    assert selectors.log_search(job=job, q="loss", limit=2) == narrowed
