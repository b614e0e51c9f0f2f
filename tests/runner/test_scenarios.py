"""The original project's scenarios, run in-process against the real sshd."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drs.jobs.models import Job, LogChunk
from drs.jobs.services import job_cancel
from tests.fixtures.sshd import Sshd, user_processes, wait_for_processes
from tests.runner.conftest import assert_log_consistent, log_bytes, run

pytestmark = pytest.mark.django_db(transaction=True)


def test_stdout_and_stderr_each_right(make_job: Callable[..., Job]) -> None:
    job = run(
        make_job(
            "import sys\nfor i in range(3):\n"
            "    print(f'out {i}', flush=True)\n    print(f'err {i}', file=sys.stderr, flush=True)\n"
        )
    )
    assert job.status == "succeeded", job.error
    assert log_bytes(job, "stdout") == b"out 0\nout 1\nout 2\n"
    assert log_bytes(job, "stderr") == b"err 0\nerr 1\nerr 2\n"
    assert_log_consistent(job)


def test_exit_3_is_failed_with_exit_code(make_job: Callable[..., Job]) -> None:
    job = run(make_job("import sys\nprint('bye')\nsys.exit(3)\n"))
    assert job.status == "failed"
    assert job.exit_code == 3
    assert job.signal == ""
    assert "3" in job.error
    assert log_bytes(job) == b"bye\n"


@pytest.mark.parametrize("code", [0, 1, 127, 255])
def test_exit_codes_exact(make_job: Callable[..., Job], code: int) -> None:
    job = run(make_job(f"echo before\nexit {code}\n", interpreter="sh"))
    assert job.exit_code == code
    assert job.status == ("succeeded" if code == 0 else "failed")
    assert job.signal == ""


def test_kill_9_reports_signal(make_job: Callable[..., Job]) -> None:
    job = run(make_job("import os\nprint('x', flush=True)\nos.kill(os.getpid(), 9)\n"))
    assert job.status == "failed"
    assert job.exit_code == 137
    assert job.signal == "SIGKILL"
    assert "SIGKILL" in job.error


def test_policy_total_one_chunk_per_stream(make_job: Callable[..., Job]) -> None:
    job = run(
        make_job(
            "import sys, time\nfor i in range(3):\n    print(i, flush=True)\n"
            "    print('e', i, file=sys.stderr, flush=True)\n    time.sleep(0.2)\n",
            log_policy="total",
        )
    )
    assert job.status == "succeeded", job.error
    chunks = list(LogChunk.objects.filter(job=job).order_by("seq"))
    assert [(c.seq, c.stream) for c in chunks] == [(1, "stdout"), (2, "stderr")]
    assert bytes(chunks[0].data) == b"0\n1\n2\n"
    assert bytes(chunks[1].data) == b"e 0\ne 1\ne 2\n"
    assert_log_consistent(job)


def test_policy_none_stores_nothing(make_job: Callable[..., Job]) -> None:
    job = run(make_job("print('secret output')\n", log_policy="none"))
    assert job.status == "succeeded", job.error
    assert LogChunk.objects.filter(job=job).count() == 0


def test_timeout_keeps_lines_printed_before(make_job: Callable[..., Job]) -> None:
    job = run(
        make_job(
            "import time\nfor i in range(10):\n    print(f'tick {i}', flush=True)\n"
            "    time.sleep(1)\n",
            timeout_seconds=2,
        )
    )
    assert job.status == "timed_out"
    out = log_bytes(job).decode()
    assert out.startswith("tick 0\n")
    assert "tick 9" not in out
    assert job.finished_at is not None


def test_arguments_and_environment_are_quoted(make_job: Callable[..., Job]) -> None:
    weird = ["a b", "$(touch /tmp/drs-pwned)", "'; echo hi; '", "`id`", "*", ""]
    job = run(
        make_job(
            "import json, os, sys\nprint(json.dumps([sys.argv[1:], os.environ['WEIRD']]))\n",
            arguments=weird,
            environment={"WEIRD": "$HOME `id` ' \" \\ ;"},
        )
    )
    assert job.status == "succeeded", job.error
    import json

    argv, env = json.loads(log_bytes(job))
    assert argv == weird
    assert env == "$HOME `id` ' \" \\ ;"
    assert not Path("/tmp/drs-pwned").exists()


def test_bytes_preserved_exactly(make_job: Callable[..., Job]) -> None:
    program = (
        "import sys\nw = sys.stdout.buffer.write\n"
        "w(b'bad \\xff\\xfe utf8 \\xc3\\n')\n"  # invalid UTF-8, a truncated sequence
        "w(b'nul \\x00 byte\\n')\n"
        "w('snow \u2603 \U0001f600\\n'.encode())\n"
        "w(b'x' * 1_000_000 + b'\\n')\n"  # a 1 MB line
        "w(('\u00e9' * 70000).encode())\n"  # multibyte across the 64 KiB chunk size
        "w(b'\\xe2\\x98')\n"  # ends inside a sequence
    )
    expected = (
        b"bad \xff\xfe utf8 \xc3\n"
        + b"nul \x00 byte\n"
        + "snow \u2603 \U0001f600\n".encode()
        + b"x" * 1_000_000
        + b"\n"
        + ("\u00e9" * 70000).encode()
        + b"\xe2\x98"
    )
    job = run(make_job(program))
    assert job.status == "succeeded", job.error
    assert log_bytes(job) == expected
    assert_log_consistent(job)
    for chunk in LogChunk.objects.filter(job=job):
        assert len(bytes(chunk.data)) <= 64 * 1024
    # No chunk boundary splits the valid multibyte characters.
    for chunk in LogChunk.objects.filter(job=job).order_by("seq")[2:]:
        data = bytes(chunk.data)
        if data[:1] in (b"\xa9",):
            pytest.fail("a chunk starts inside a UTF-8 sequence")


def test_results_patterns_and_run_window(make_job: Callable[..., Job]) -> None:
    program = (
        "import os\n"
        "open('a.txt', 'w').write('alpha')\n"
        "os.makedirs('sub', exist_ok=True)\n"
        "open('sub/b.txt', 'w').write('beta')\n"
        "open('run.log', 'w').write('log')\n"
        "open('keep.log', 'w').write('kept by a later pattern')\n"
        "open('old.txt', 'w').write('old')\n"
        "os.utime('old.txt', (0, 0))\n"  # not modified during the run
        "os.symlink('/etc/passwd', 'passwd.txt')\n"  # symlinks are never followed
        "os.symlink('/etc', 'etc')\n"
        "open('data.bin', 'wb').write(bytes(range(256)))\n"
    )
    job = run(make_job(program, result_patterns=["*.txt", "!*.log", "keep.log", "*.bin"]))
    assert job.status == "succeeded", job.error
    results = {r.path: r for r in job.results.all()}
    assert set(results) == {"a.txt", "sub/b.txt", "keep.log", "data.bin"}
    import hashlib

    a = results["a.txt"]
    assert a.size == 5
    assert a.sha256 == hashlib.sha256(b"alpha").hexdigest()
    with a.file.open("rb") as fh:
        assert fh.read() == b"alpha"
    with results["data.bin"].file.open("rb") as fh:
        assert fh.read() == bytes(range(256))


def test_results_size_limit(make_job: Callable[..., Job], settings: Any) -> None:
    settings.DRS_MAX_RESULT_FILE_BYTES = 1000
    job = run(
        make_job(
            "open('small.txt', 'w').write('s' * 10)\nopen('big.txt', 'w').write('b' * 5000)\n",
            result_patterns=["*.txt"],
        )
    )
    assert job.status == "succeeded"
    assert [r.path for r in job.results.all()] == ["small.txt"]
    assert "big.txt" in job.error


def test_cancel_kills_the_whole_process_group(
    make_job: Callable[..., Job], run_in_thread: Callable[..., Any], sshd: Sshd
) -> None:
    marker = f"{900 + os.getpid() % 97}.{random.randint(1000, 9999)}"  # unique per run
    job = make_job(f"echo started\nsleep {marker} &\nsleep {marker} &\nwait\n", interpreter="sh")
    thread = run_in_thread(job)
    wait_for_processes(sshd.key_user.name, f"sleep {marker}", 2)
    job_cancel(job=job)
    thread.join(30)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert job.finished_at is not None
    assert user_processes(sshd.key_user.name, f"sleep {marker}") == []
    assert log_bytes(job) == b"started\n"


def test_cancel_of_queued_job_never_runs(make_job: Callable[..., Job]) -> None:
    job = make_job("open('ran', 'w').write('x')\n")
    job_cancel(job=job)
    job = run(job)
    assert job.status == "cancelled"
    assert job.remote_directory == ""
