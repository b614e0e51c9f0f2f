"""`drs submit --follow`, `drs logs --follow`, `drs results --download` and `drs cancel`
as a subprocess, against daphne, real runner workers and a real sshd."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drs.jobs.models import Job, Result
from tests.cli.conftest import CLIENT_DIR, SERVER_NAME, Site, job_status, wait_for
from tests.fixtures.sshd import PASSWORD_USER, key_credential
from tests.fixtures.workers import Workers

pytestmark = pytest.mark.django_db(transaction=True)

# Both streams, multi-byte UTF-8, invalid UTF-8 on stderr (the websocket can only carry it
# replaced: the CLI must repair it from log.txt), no final newline, results, exit 3.
BOTH_STREAMS = r"""
import os, sys
out, err = sys.stdout.buffer, sys.stderr.buffer
for i in range(3000):
    out.write(f"out {i} ✓ αβγ\n".encode())
    if i % 500 == 0:
        out.flush()
        err.write(f"err {i} ‽\n".encode()); err.flush()
err.write(b"latin-1 \xe9t\xe9 and junk \xff\xfe\xc3(\n"); err.flush()
err.write("after the junk ✓\n".encode()); err.flush()
out.write(b"no newline at the end"); out.flush()
with open("result.txt", "w") as fh:
    fh.write("r" * 100000)
os.makedirs("sub", exist_ok=True)
with open("sub/data.bin", "wb") as fh:
    fh.write(bytes(range(256)) * 1000)
sys.exit(3)
"""
EXPECTED_STDOUT = b"".join(f"out {i} ✓ αβγ\n".encode() for i in range(3000)) + (
    b"no newline at the end"
)
EXPECTED_STDERR = (
    b"".join(f"err {i} ‽\n".encode() for i in range(0, 3000, 500))
    + b"latin-1 \xe9t\xe9 and junk \xff\xfe\xc3(\n"
    + "after the junk ✓\n".encode()
)

# Twenty lines, a pause until the test releases it (so it is surely running while the test
# interrupts and restarts things), twenty more.
SLOW = r"""
import os, sys, time
def lines(start):
    for i in range(start, start + 20):
        print(f"line {i:03d} ✓")
        if i % 10 == 9:
            print(f"tick {i}", file=sys.stderr)
        sys.stdout.flush(); sys.stderr.flush()
        time.sleep(0.02)
lines(0)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
lines(20)
"""
SLOW_STDOUT = "".join(f"line {i:03d} ✓\n" for i in range(40)).encode()
SLOW_STDERR = "".join(f"tick {i}\n" for i in range(9, 40, 10)).encode()


def test_submit_follow_exact_bytes_exit_code_and_results(
    site: Site, start_workers: Callable[..., Workers], tmp_path: Path
) -> None:
    start_workers(workers=1)
    done = site.run(
        "submit", "-", "--server", SERVER_NAME, "--interpreter", "python3", "--title", "both",
        "--result", "*.txt", "--result", "sub/*", "--follow", "--quiet",
        input=BOTH_STREAMS.encode(),
    )  # fmt: skip
    assert done.stdout == EXPECTED_STDOUT
    assert done.stderr == EXPECTED_STDERR  # --quiet: nothing of the CLI's own
    assert done.returncode == 3
    job = Job.objects.get(title="both")
    assert (job.status, job.exit_code) == ("failed", 3)

    # Plain `drs logs` is the same bytes, per stream.
    assert site.run("logs", str(job.pk), "--stream", "stdout").stdout == EXPECTED_STDOUT
    assert site.run("logs", str(job.pk), "--stream", "stderr").stdout == EXPECTED_STDERR

    listed = site.run("results", str(job.pk), "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(r["path"] for r in json.loads(listed.stdout)) == ["result.txt", "sub/data.bin"]

    target = tmp_path / "out"
    fetched = site.run("results", str(job.pk), "--download", str(target))
    assert fetched.returncode == 0, fetched.stderr
    assert (target / "result.txt").read_bytes() == b"r" * 100000
    assert (target / "sub" / "data.bin").read_bytes() == bytes(range(256)) * 1000
    assert fetched.stderr.count(b" ok\n") == 2  # one checked line per file
    assert b"2 file(s)" in fetched.stderr

    # A stored file that no longer matches its sha256 is refused, and not left behind.
    stored = Result.objects.get(job=job, path="result.txt")
    Path(stored.file.path).write_bytes(b"R" * 100000)
    again = site.run("results", str(job.pk), "--download", str(tmp_path / "again"))
    assert again.returncode == 1
    assert b"drs: result result.txt is corrupt" in again.stderr
    assert hashlib.sha256(b"r" * 100000).hexdigest().encode() in again.stderr
    assert not (tmp_path / "again" / "result.txt").exists()
    assert b"Traceback" not in again.stderr

    check_readme_script(site, tmp_path)  # shares this test's workers: each tree costs seconds


@pytest.fixture
def release() -> Iterator[Path]:
    """A file path the job (the sshd's test user) can see; created at the end whatever
    happens, so a job waiting for it never outlives the test."""
    directory = Path(tempfile.mkdtemp(prefix="drs-cli-"))
    directory.chmod(0o755)
    yield directory / "release"
    (directory / "release").touch()
    time.sleep(0.5)
    shutil.rmtree(directory, ignore_errors=True)


def test_logs_follow_interrupted_and_resumed(
    site: Site, start_workers: Callable[..., Workers], release: Path
) -> None:
    start_workers(workers=1)
    job_id = site.submit(SLOW, "--title", "slow", "--arg", str(release))

    # Ctrl-C with no terminal on stdin: detach at once (exit 130), the job goes on.
    first = site.popen("logs", job_id, "--follow")
    assert first.stdout is not None
    first_seen = first.stdout.read1(4096)
    while first_seen.count(b"\n") < 3:
        first_seen += first.stdout.read1(4096)
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=30)
    first_seen += out
    assert first.returncode == 130, err
    assert b"detached" in err and b"drs logs --follow" in err
    assert job_status(job_id) == "running"

    # Again, and the server goes away mid-stream: the CLI reconnects with after=<last seq>.
    second = site.popen("logs", job_id, "--follow")
    assert second.stdout is not None
    second_seen = second.stdout.read1(4096)
    site.daphne.restart()
    assert job_status(job_id) == "running"
    release.touch()
    out, err = second.communicate(timeout=90)
    second_seen += out
    assert second.returncode == 0, err
    assert b"reconnecting after seq" in err

    # Both saw the log as stored (both streams in the order the runner read them): the
    # first a part of it, the second all of it, with no gap and no repeat.
    stored = site.run("logs", job_id).stdout
    assert sorted(stored.splitlines()) == sorted((SLOW_STDOUT + SLOW_STDERR).splitlines())
    assert stored.startswith(first_seen)
    assert second_seen == stored
    assert site.run("logs", job_id, "--stream", "stdout").stdout == SLOW_STDOUT
    assert site.run("logs", job_id, "--stream", "stderr").stdout == SLOW_STDERR


def test_cancel_and_exit_statuses(
    site: Site, start_workers: Callable[..., Workers], tmp_path: Path
) -> None:
    start_workers(workers=1)
    sleeper = "import time\nprint('started', flush=True)\ntime.sleep(300)\n"
    job_id = site.submit(sleeper)
    wait_for(lambda: Job.objects.get(pk=job_id).last_seq > 0, 60, "the job's first output")

    done = site.run("cancel", job_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith(job_id)

    followed = site.run("logs", job_id, "--follow")
    assert followed.stdout == b"started\n"
    assert followed.returncode == 253
    assert followed.stderr.strip() == b"drs: job cancelled"
    assert job_status(job_id) == "cancelled"

    # Cancelling again: the job already ended (409), one line.
    again = site.run("cancel", job_id)
    assert again.returncode == 1
    assert again.stderr.startswith(b"drs: job ") and again.stderr.count(b"\n") == 1

    # Ctrl-C during `submit --follow` with a person at a terminal: asked, answers "c".
    program = tmp_path / "sleeper.py"
    program.write_text(sleeper)
    controller, terminal = os.openpty()
    following = subprocess.Popen(
        site.command("submit", str(program), "--server", SERVER_NAME, "--interpreter",
                     "python3", "--title", "asked", "--follow"),
        stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=site.env(),
    )  # fmt: skip
    os.close(terminal)
    try:
        assert following.stdout is not None and following.stderr is not None
        assert following.stdout.read1(4096) == b"started\n"
        following.send_signal(signal.SIGINT)
        prompt = b""
        while b"[D]? " not in prompt:
            prompt += following.stderr.read1(4096)
        assert b"Cancel the job [c]" in prompt
        os.write(controller, b"c\n")
        rest, err = following.communicate(timeout=60)
        assert rest == b""
    finally:
        os.close(controller)
        if following.poll() is None:
            following.kill()
    assert following.returncode == 253, err
    assert b"cancel requested" in err and err.endswith(b"drs: job cancelled\n")
    assert Job.objects.get(title="asked").status == "cancelled"

    check_exit_statuses_and_rerun(site)  # shares this test's workers


def check_exit_statuses_and_rerun(site: Site) -> None:
    """Killed by a signal: 128 + N; timed out: 124; failed to start: 255; each with its
    one-line reason on stderr (workers running)."""
    submit = ["submit", "-", "--server", SERVER_NAME, "--interpreter", "python3"]
    killed = b"import os, signal\nprint('bye', flush=True)\nos.kill(os.getpid(), signal.SIGKILL)\n"
    done = site.run(*submit, "--title", "killed", "--follow", "--quiet", input=killed)
    assert done.stdout == b"bye\n"
    assert done.returncode == 128 + signal.SIGKILL
    assert done.stderr == b"drs: job killed by SIGKILL (exit status 137)\n"

    # `rerun --follow`: the same program again, followed the same way.
    job = Job.objects.get(title="killed", rerun_of=None)
    again = site.run("rerun", str(job.pk), "--follow", "--quiet")
    assert (again.stdout, again.returncode) == (b"bye\n", 137)
    assert again.stderr == b"drs: job killed by SIGKILL (exit status 137)\n"
    assert Job.objects.get(rerun_of=job).status == "failed"

    slow = b"import time\nprint('waiting', flush=True)\ntime.sleep(60)\n"
    timed_out = site.run(
        *submit, "--timeout", "1", "--title", "timeout", "--follow", "-q", input=slow
    )
    assert (timed_out.stdout, timed_out.returncode) == (b"waiting\n", 124)
    assert timed_out.stderr == b"drs: job timed out: Timed out after 1 s.\n"

    # A second credential, refused by the host: the job fails before it starts.
    refused = key_credential(site.user, site.server, site.sshd)
    refused.username = PASSWORD_USER  # the key is not in this user's authorized_keys
    refused.save()
    failed = site.run(
        *submit, "--credential", PASSWORD_USER, "--follow", "--quiet", input=b"print(1)"
    )
    assert (failed.stdout, failed.returncode) == (b"", 255)
    assert failed.stderr.startswith(b"drs: job failed to start: ")
    assert failed.stderr.count(b"\n") == 1
    several = site.run(*submit, input=b"print(1)")
    assert several.returncode == 1
    assert b"several credentials" in several.stderr and b"--credential" in several.stderr


def check_readme_script(site: Site, tmp_path: Path) -> None:
    """The script in clients/python/README.md, run as written (workers running)."""
    readme = (CLIENT_DIR / "README.md").read_text()
    script = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert script is not None
    (tmp_path / "fit_job.py").write_text(script.group(1))
    (tmp_path / "fit.py").write_text(
        "import os, sys\n"
        "print('fitting', sys.argv[1:])\n"
        "print('warning: slow', file=sys.stderr)\n"
        "open('fit.json', 'w').write('{\"chi2\": 1.5}')\n"
        "os.makedirs('plots'); open('plots/a.png', 'wb').write(b'\\x89PNG')\n"
    )
    done = subprocess.run(
        [sys.executable, "fit_job.py", "fit.py", SERVER_NAME],
        cwd=tmp_path, env=site.env(), capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"fitting ['--layers', '2']\n"
    job = Job.objects.get(title="fit")
    lines = done.stderr.decode().splitlines()
    assert lines[:2] == [f"job {job.pk}", "warning: slow"]
    assert sorted(line.split()[0] for line in lines[2:]) == ["fit.json", "plots/a.png"]
    downloaded = tmp_path / "results" / str(job.pk)
    assert (downloaded / "fit.json").read_text() == '{"chi2": 1.5}'
    assert (downloaded / "plots" / "a.png").read_bytes() == b"\x89PNG"
