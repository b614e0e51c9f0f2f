"""The CLI's first hour: short job ids, the job id on stderr, login without a terminal,
and output held while the Ctrl-C question is on screen."""

from __future__ import annotations

import io
import subprocess
import uuid
from collections.abc import Callable

from tests import factories
from tests.cli.conftest import Site, wait_for
from tests.fixtures.workers import Workers


def test_short_job_ids_resolve_everywhere(site: Site) -> None:
    job_id = site.submit("print('short ids')\n")
    wait_for(lambda: site.run("show", job_id[:8], "--json").returncode == 0, what="show")
    for command in (["show"], ["logs"], ["results"]):
        done = site.run(*command, job_id[:8])
        assert done.returncode == 0, (command, done.stderr)
    shown = site.run("show", job_id[:13].upper(), "--json")
    assert shown.returncode == 0 and job_id.encode() in shown.stdout


def test_ambiguous_unknown_and_foreign_prefixes(site: Site) -> None:
    server, credential = site.server, site.credential
    for tail in ("0000-4000-8000-000000000001", "0000-4000-8000-000000000002"):
        factories.job(site.user, server, credential=credential, id=uuid.UUID(f"abcd1234-{tail}"))
    stranger = factories.user("cli-stranger")
    factories.job(
        stranger,
        server,
        credential=factories.credential(stranger, server),
        id=uuid.UUID("beef5678-0000-4000-8000-000000000003"),
    )

    ambiguous = site.run("show", "abcd1234")
    assert ambiguous.returncode == 1
    assert ambiguous.stderr.decode().startswith("drs: ambiguous job id 'abcd1234'")
    assert site.run("show", "abcd1234-0000-4000-8000-00000000000").returncode == 1
    assert site.run("show", "abcd1234-0000-4000-8000-0000000000").returncode == 1
    # Another user's job is not found, exactly like an id nobody has.
    for prefix in ("beef5678", "cafe0000"):
        done = site.run("cancel", prefix)
        assert done.returncode == 1
        assert done.stderr.decode() == f"drs: no job of yours has an id starting with {prefix!r}\n"
    bad = site.run("show", "xyz")
    assert bad.returncode == 1 and b"at least 4" in bad.stderr


def test_follow_prints_the_job_id_on_stderr_unless_quiet(
    site: Site, start_workers: Callable[..., Workers]
) -> None:
    start_workers(workers=1)
    program = b"print('out')\n"
    args = ("submit", "-", "--server", "cli-sshd", "--interpreter", "python3", "--follow")
    done = site.run(*args, input=program)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"out\n"
    first = done.stderr.decode().splitlines()[0]
    assert first.startswith("drs: job ") and uuid.UUID(first.split()[-1])
    quiet = site.run(*args, "--quiet", input=program)
    assert quiet.returncode == 0 and quiet.stdout == b"out\n"
    assert b"job " not in quiet.stderr


def test_login_without_a_terminal_says_what_to_do(site: Site) -> None:
    done = subprocess.run(
        site.command("login", site.url, "--username", "cli-owner"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=site.env(DRS_URL="", DRS_TOKEN=""),
        start_new_session=True,  # no controlling terminal
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    # getpass may say first that it cannot hide the echo; the last line is ours.
    last = done.stderr.decode().splitlines()[-1]
    assert last.startswith("drs: no password given") and "--password-stdin" in last
    assert b"Traceback" not in done.stderr and b"EOFError" not in done.stderr


def test_output_is_held_while_a_question_is_on_screen() -> None:
    from drs_cli.follow import paused, split_outputs

    out, err = io.BytesIO(), io.BytesIO()
    routes = split_outputs(out, err)  # type: ignore[arg-type]
    routes["stdout"].write(b"before\n")
    with paused(routes):
        routes["stdout"].write(b"during\n")
        routes["stderr"].write(b"warn\n")
        assert out.getvalue() == b"before\n" and err.getvalue() == b""
    assert out.getvalue() == b"before\nduring\n" and err.getvalue() == b"warn\n"
    assert routes["stdout"].written == len(b"before\nduring\n")
