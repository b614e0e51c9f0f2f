"""Runner test helpers: a pinned Server for the fixture sshd, a key credential, jobs
run in-process through the real engine (the SSH side is never mocked)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections

from drs.jobs.models import Job, LogChunk
from drs.runner.process import run_job
from tests import factories
from tests.fixtures.sshd import Sshd, key_credential, ssh_server


@pytest.fixture
def server(sshd: Sshd, transactional_db: None) -> Any:
    return ssh_server(sshd, max_concurrent_jobs=50)


@pytest.fixture
def credential(owner: Any, server: Any, sshd: Sshd) -> Any:
    return key_credential(owner, server, sshd)


@pytest.fixture(autouse=True)
def _quick_runner(settings: Any) -> None:
    settings.DRS_CANCEL_GRACE_SECONDS = 1


@pytest.fixture
def make_job(owner: Any, server: Any, credential: Any) -> Callable[..., Job]:
    def make(program: str, *, interpreter: str = "python3", **extra: Any) -> Job:
        interp = (
            factories.interpreter()
            if interpreter == "python3"
            else factories.interpreter("sh", "/bin/sh", [])
        )
        values: dict[str, Any] = {
            "title": "test",
            "program": program,
            "interpreter": interp,
            "credential": credential,
        } | extra
        return Job.objects.create(owner=owner, server=values.pop("server", server), **values)

    return make


def run(job: Job) -> Job:
    run_job(str(job.pk))
    job.refresh_from_db()
    return job


@pytest.fixture
def run_in_thread() -> Iterator[Callable[[Job], threading.Thread]]:
    threads: list[threading.Thread] = []

    def target(job_id: str) -> None:
        try:
            run_job(job_id)
        finally:
            connections.close_all()  # this thread's own connection would outlive the test

    def start(job: Job) -> threading.Thread:
        thread = threading.Thread(target=target, args=(str(job.pk),), daemon=True)
        thread.start()
        threads.append(thread)
        return thread

    yield start
    for thread in threads:
        thread.join(60)


def wait_for(
    predicate: Callable[[], bool], what: str, timeout: float = 60, step: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(step)


def log_bytes(job: Job, stream: str | None = None) -> bytes:
    chunks = LogChunk.objects.filter(job=job).order_by("seq")
    if stream:
        chunks = chunks.filter(stream=stream)
    return b"".join(bytes(c.data) for c in chunks)


def assert_log_consistent(job: Job) -> None:
    """seq 1..n without gaps; per stream, offsets contiguous from 0."""
    job.refresh_from_db()
    seqs = list(LogChunk.objects.filter(job=job).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert job.last_seq == len(seqs)
    for stream, end in (("stdout", job.stdout_offset), ("stderr", job.stderr_offset)):
        offset = 0
        for chunk in LogChunk.objects.filter(job=job, stream=stream).order_by("seq"):
            assert chunk.offset == offset
            offset += len(bytes(chunk.data))
        assert offset == end
