"""persist_batch and the Persister against the real database: on PostgreSQL the chunks go
in with the flush's one statement (binary arrays) or, for a flood, by binary COPY; on
SQLite by bulk_create. Every way must store every byte exactly."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import IntegrityError, connection, connections
from django.utils import timezone

from drs.jobs.models import Job, LogChunk
from drs.runner import sql as runner_sql
from drs.runner.logsink import (
    FLUSH_BYTES,
    PUBLISH_BACKLOG_BYTES,
    LogSink,
    PendingChunk,
    Persister,
    PublishQueue,
    persist_batch,
)
from drs.runner.process import db
from tests import factories

OWNER = "runner-under-test:1:x"


def make_jobs(owner: Any, n: int, **extra: Any) -> list[Job]:
    srv = factories.server()
    cred = factories.credential(owner, srv)
    values: dict[str, Any] = {"lease_owner": OWNER} | extra
    return [factories.job(owner, srv, credential=cred, **values) for _ in range(n)]


def sink_for(job: Job) -> LogSink:
    return LogSink(job.pk, {"stdout": 0, "stderr": 0}, 0)


def stored(job: Job) -> dict[str, bytes]:
    out = {"stdout": b"", "stderr": b""}
    seqs = []
    for c in LogChunk.objects.filter(job=job).order_by("seq"):
        assert c.offset == len(out[c.stream])
        out[c.stream] += bytes(c.data)
        seqs.append(c.seq)
    assert seqs == list(range(1, len(seqs) + 1))
    return out


def test_take_and_commit_cut_any_feeds_on_utf8_boundaries() -> None:
    """Pieces of any size (a character split across pieces, across 64 KiB), fed while a
    flush is out: the committed chunks rebuild the stream exactly, each <= 64 KiB and
    whole characters; the held-back tail goes out with the final flush."""
    rng = random.Random(7)
    text = "".join(rng.choice(["a", "\n", "é", "€", "😀", "xyz"]) for _ in range(120_000))
    raw = text.encode()
    sink = LogSink("job", {"stdout": 0, "stderr": 0}, 0)
    got = b""
    pos = 0
    out_of_flush: list[PendingChunk] = []
    while pos < len(raw) or out_of_flush:
        for _ in range(rng.randint(0, 4)):
            n = rng.choice([1, 2, 3, 1000, FLUSH_BYTES - 1, FLUSH_BYTES, 300_000])
            sink.feed("stdout", raw[pos : pos + n])
            pos += n
        if out_of_flush:  # the flush that took these committed; the feeds above happened meanwhile
            sink.commit(out_of_flush)
            got += b"".join(c.data for c in out_of_flush)
        out_of_flush = sink.take()
        for c in out_of_flush:
            assert 0 < len(c.data) <= FLUSH_BYTES
            c.data.decode()  # whole characters only
    assert sink.read_offsets["stdout"] == len(raw)
    final = sink.take(final=True)
    sink.commit(final)
    got += b"".join(c.data for c in final)
    assert got == raw
    assert sink.pending_bytes == 0
    assert sink.line_count == raw.count(b"\n")
    assert sink.offsets["stdout"] == len(raw)


def test_an_incomplete_character_is_held_back_until_final() -> None:
    sink = LogSink("job", {"stdout": 0, "stderr": 0}, 0)
    sink.feed("stdout", b"a" * (FLUSH_BYTES - 1) + "é".encode()[:1])
    sink.feed("stdout", b"")
    chunks = sink.take()
    assert [len(c.data) for c in chunks] == [FLUSH_BYTES - 1]
    sink.commit(chunks)
    assert sink.take() == []
    sink.feed("stdout", "é".encode()[1:] + b"\xff")
    assert [c.data for c in sink.take()] == ["é".encode() + b"\xff"]
    sink.feed("stderr", b"\xe2\x82")  # a cut-off euro sign: written as is once the job ends
    assert [(c.stream, c.data) for c in sink.take(final=True)][-1] == ("stderr", b"\xe2\x82")


@pytest.fixture(params=["one statement", "copy"])
def flush_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL a small flush is one statement and a flood goes by COPY: both ways."""
    if request.param == "copy":
        monkeypatch.setattr(runner_sql, "STATEMENT_MAX_BYTES", 0)


@pytest.mark.usefixtures("flush_path")
def test_every_byte_stored_exactly(owner: Any) -> None:
    """Invalid UTF-8, NUL bytes, a character across the 64 KiB boundary, a chunk of
    exactly 64 KiB, both streams: what comes back is what went in, in seq order."""
    job, other = make_jobs(owner, 2)
    out = b"\xff\xfe\x00\x80 not utf-8 \xc3(\n" + b"x" * (FLUSH_BYTES - 20) + "é€😀\n".encode()
    err = b"a" * FLUSH_BYTES  # one chunk of exactly 64 KiB
    sink = sink_for(job)
    sink.feed("stdout", out)
    sink.feed("stderr", err)
    chunks = sink.take(final=True)
    assert all(len(c.data) <= FLUSH_BYTES for c in chunks)
    assert [len(c.data) for c in chunks if c.stream == "stderr"] == [FLUSH_BYTES]
    other_sink = sink_for(other)
    other_sink.feed("stdout", b"\x00" * 10 + b"\n" * 3)
    other_chunks = other_sink.take(final=True)

    lost, when = persist_batch(OWNER, [(job.pk, chunks), (str(other.pk), other_chunks)])

    assert lost == set()
    assert stored(job) == {"stdout": out, "stderr": err}
    assert stored(other) == {"stdout": b"\x00" * 10 + b"\n" * 3, "stderr": b""}
    first = LogChunk.objects.filter(job=job).order_by("seq")
    assert [c.line for c in first] == [c.line for c in chunks]
    assert all(c.time == when for c in first)
    job.refresh_from_db()
    assert (job.stdout_offset, job.stderr_offset) == (len(out), len(err))
    assert (job.last_seq, job.line_count) == (len(chunks), out.count(b"\n"))


@pytest.mark.usefixtures("flush_path")
def test_a_failed_guard_writes_nothing_for_that_job_only(owner: Any) -> None:
    """Many jobs in one flush: one whose lease moved and one whose last_seq moved write
    nothing and are returned; the others commit."""
    jobs = make_jobs(owner, 6)
    Job.objects.filter(pk=jobs[1].pk).update(lease_owner="someone-else:2:y")
    Job.objects.filter(pk=jobs[4].pk).update(last_seq=7)
    items = []
    for i, job in enumerate(jobs):
        sink = sink_for(job)
        sink.feed("stdout", b"job %d\n" % i * 5000)
        items.append((job.pk, sink.take(final=True)))

    lost, _ = persist_batch(OWNER, items)

    assert lost == {str(jobs[1].pk), str(jobs[4].pk)}
    for i, job in enumerate(jobs):
        if i in (1, 4):
            assert not LogChunk.objects.filter(job=job).exists()
        else:
            assert stored(job)["stdout"] == b"job %d\n" % i * 5000
    assert Job.objects.get(pk=jobs[4].pk).last_seq == 7


def test_a_flush_of_one_job_is_guarded_too(owner: Any) -> None:
    (job,) = make_jobs(owner, 1, lease_owner="someone-else:2:y")
    sink = sink_for(job)
    sink.feed("stdout", b"late\n")
    assert persist_batch(OWNER, [(str(job.pk), sink.take())])[0] == {str(job.pk)}
    assert not LogChunk.objects.filter(job=job).exists()
    Job.objects.filter(pk=job.pk).update(lease_owner=OWNER)
    assert persist_batch(OWNER, [(str(job.pk), sink.take())])[0] == set()
    job.refresh_from_db()
    assert (job.last_seq, job.stdout_offset, job.line_count) == (1, 5, 1)
    assert job.heartbeat_at is not None


@pytest.mark.django_db(transaction=True)
def test_integrity_error_is_djangos(owner: Any) -> None:
    """A row the database refuses raises Django's IntegrityError (what the persister
    isolates), and the flush leaves nothing behind: not even the job's offsets, which
    move in the same statement (autocommit, as the persister runs)."""
    (job,) = make_jobs(owner, 1)
    LogChunk.objects.create(
        job=job, seq=1, stream="stdout", offset=0, data=b"", time=timezone.now()
    )
    sink = sink_for(job)
    sink.feed("stdout", b"clash\n")
    with pytest.raises(IntegrityError):
        persist_batch(OWNER, [(job.pk, sink.take(final=True))])
    job.refresh_from_db()
    assert (job.last_seq, job.stdout_offset) == (0, 0)
    assert LogChunk.objects.filter(job=job).count() == 1


@pytest.mark.django_db(transaction=True)
def test_persister_isolates_the_job_whose_rows_are_refused(owner: Any) -> None:
    """One job's rows break the batch's transaction: the others are committed one by
    one, that job alone fails, and only committed chunks are published."""
    jobs = make_jobs(owner, 4)
    bad = jobs[2]
    LogChunk.objects.create(
        job=bad, seq=1, stream="stdout", offset=0, data=b"", time=timezone.now()
    )
    published: list[tuple[str, int]] = []
    failed: list[str] = []

    async def publish(events: list[tuple[Any, dict[str, Any]]]) -> None:
        published.extend((str(job_id), event["seq"]) for job_id, event in events)

    async def scenario() -> list[LogSink]:
        persister = Persister(OWNER, db, publish)
        persister.on_failed = lambda job_id, exc: failed.append(job_id)
        sinks = [sink_for(job) for job in jobs]
        for i, sink in enumerate(sinks):
            persister.register(sink)
            sink.feed("stdout", b"%d" % i * (FLUSH_BYTES + 10))
        await persister.flush(sinks, final=True)
        await persister.close()
        await sync_to_async(connections.close_all, thread_sensitive=True)()
        return sinks

    sinks = asyncio.run(scenario())

    assert failed == [str(bad.pk)]
    assert isinstance(sinks[2].failed, IntegrityError)
    assert LogChunk.objects.filter(job=bad).count() == 1
    for i, job in enumerate(jobs):
        if job != bad:
            assert stored(job)["stdout"] == b"%d" % i * (FLUSH_BYTES + 10)
            assert sinks[i].pending_bytes == 0
    assert sorted(published) == sorted((str(j.pk), s) for j in jobs if j != bad for s in (1, 2))


def test_chunks_compress_with_lz4_on_postgresql(owner: Any) -> None:
    """pglz, PostgreSQL's default, was the database's ceiling at full speed (migration
    jobs 0004); a stored chunk is compressed with lz4 where the server has it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:
            pytest.skip("this server has no lz4")
    (job,) = make_jobs(owner, 1)
    sink = sink_for(job)
    sink.feed("stdout", b"%099d\n" % 0 * 600)
    persist_batch(OWNER, [(job.pk, sink.take(final=True))])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(data) FROM jobs_logchunk WHERE job_id = %s", [job.pk]
        )
        assert cursor.fetchone() == ("lz4",)


@pytest.mark.django_db(transaction=True)
def test_a_flood_keeps_the_publish_backlog_bounded(owner: Any) -> None:
    """Persisting outruns publishing in a flood: every chunk is persisted, at most
    PUBLISH_BACKLOG_BYTES wait per publisher, and the newest are the ones published (a
    websocket reads a gap before a live chunk from the database)."""
    (job,) = make_jobs(owner, 1)
    backlog = PUBLISH_BACKLOG_BYTES // FLUSH_BYTES
    n = backlog * 3
    published: list[int] = []

    async def scenario() -> int:
        release = asyncio.Event()

        async def publish(events: list[tuple[Any, dict[str, Any]]]) -> None:
            await release.wait()
            published.extend(event["seq"] for _, event in events)

        persister = Persister(OWNER, db, publish)
        sink = sink_for(job)
        persister.register(sink)
        sink.feed("stdout", b"x" * FLUSH_BYTES * n)
        await persister.flush([sink])
        waiting = max(q.queue.qsize() for q in persister._queues)
        release.set()
        await persister.close()
        await sync_to_async(connections.close_all, thread_sensitive=True)()
        return waiting

    assert asyncio.run(scenario()) == backlog
    assert LogChunk.objects.filter(job=job).count() == n
    assert published == list(range(n - backlog + 1, n + 1))


def test_small_chunks_of_many_jobs_are_not_dropped() -> None:
    """The backlog is bounded in bytes: a flush of a thousand jobs' one-line chunks
    queues them all (a bound of 64 chunks dropped most and made every websocket read
    its line from the database a second late)."""

    now = timezone.now()

    async def scenario() -> list[int]:
        queue = PublishQueue()
        for seq in range(1, 1001):
            queue.put((f"job-{seq}", PendingChunk(seq, "stdout", 0, b"L 1 x\n"), now))
        batch = await queue.get_batch(10_000, 1 << 30)
        queue.done(len(batch))
        return [chunk.seq for _, chunk, _ in batch]

    assert asyncio.run(scenario()) == list(range(1, 1001))


@pytest.mark.django_db(transaction=True)
def test_jobs_ending_together_share_the_final_flush(owner: Any) -> None:
    """Twenty jobs end at once, each with a tail that ends mid-character: their final
    flushes go in one batched transaction (not one each on the database thread), and
    every byte, the incomplete tail included, is stored."""
    jobs = make_jobs(owner, 20)
    batches: list[int] = []

    async def counting_db(fn: Any, *args: Any) -> Any:
        if fn is persist_batch:
            batches.append(len(args[1]))
        return await db(fn, *args)

    async def publish(events: list[tuple[Any, dict[str, Any]]]) -> None:
        pass

    async def scenario() -> None:
        persister = Persister(OWNER, counting_db, publish)
        running = asyncio.create_task(persister.run())
        sinks = [sink_for(job) for job in jobs]
        for sink in sinks:
            persister.register(sink)
            sink.feed("stdout", "line €\n".encode() + "€".encode()[:2])
        await asyncio.gather(*(persister.final_flush(sink) for sink in sinks))
        assert all(sink.pending_bytes == 0 for sink in sinks)
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await persister.close()
        await sync_to_async(connections.close_all, thread_sensitive=True)()

    asyncio.run(scenario())
    assert batches == [20]
    for job in jobs:
        assert stored(job)["stdout"] == "line €\n".encode() + "€".encode()[:2]
