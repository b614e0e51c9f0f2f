"""`drs` without workers: login and its stored config, the lists, and every error being
one line with a non-zero status (no traceback)."""

from __future__ import annotations

import json
import stat
import subprocess

import pytest

from drs.jobs.models import Job
from tests import factories
from tests.cli.conftest import SERVER_NAME, Site
from tests.fixtures.daphne import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def one_line_error(done: subprocess.CompletedProcess[bytes], code: int, text: str) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stderr.startswith(b"drs: "), done.stderr
    assert done.stderr.count(b"\n") == 1, done.stderr
    assert text.encode() in done.stderr, done.stderr
    assert b"Traceback" not in done.stderr


def test_login_stores_a_private_token_and_lists(site: Site) -> None:
    config = site.home / "config" / "drs" / "config.json"
    done = site.run(
        "login", f"{site.url}/", "--username", "cli-owner", "--password-stdin",
        input=f"{factories.PASSWORD}\n".encode(), DRS_URL="", DRS_TOKEN="",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"logged in to " + site.url.encode() + b" as cli-owner" in done.stderr
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    stored = json.loads(config.read_text())
    assert stored["url"] == site.url and stored["token"]

    # The stored login is used when DRS_URL and DRS_TOKEN are unset.
    servers = site.run("servers", "--json", DRS_URL="", DRS_TOKEN="")
    assert servers.returncode == 0, servers.stderr
    assert [s["name"] for s in json.loads(servers.stdout)] == [SERVER_NAME]
    table = site.run("servers", DRS_URL="", DRS_TOKEN="").stdout.decode()
    assert table.splitlines()[0].split()[:3] == ["ID", "NAME", "KIND"]
    assert SERVER_NAME in table and "python3" in table

    # The password prompt (getpass) reads stdin when there is no terminal at all.
    prompted = subprocess.run(
        site.command("login", site.url),
        input=f"cli-owner\n{factories.PASSWORD}\n".encode(),
        capture_output=True,
        env=site.env(DRS_URL="", DRS_TOKEN=""),
        start_new_session=True,  # no controlling terminal: getpass falls back to stdin
        timeout=60,
        check=False,
    )
    assert prompted.returncode == 0, prompted.stderr
    assert b"Username: " in prompted.stderr and b"logged in" in prompted.stderr


def test_lists(site: Site) -> None:
    stranger = factories.user("cli-stranger")
    mine = factories.job(site.user, site.server, credential=site.credential, title="mine")
    factories.job(stranger, site.server, title="theirs")

    jobs = json.loads(site.run("jobs", "--json").stdout)
    assert [j["id"] for j in jobs] == [str(mine.pk)]  # never another user's
    assert jobs[0]["status"] == "queued"
    assert site.run("jobs", "--status", "running", "--json").stdout.strip() == b"[]"
    table = site.run("jobs").stdout.decode()
    assert str(mine.pk) in table and "queued" in table

    interpreters = json.loads(site.run("interpreters", "--json").stdout)
    assert {"python3", "sh"} <= {i["name"] for i in interpreters}
    credentials = site.run("credentials").stdout.decode()
    assert SERVER_NAME in credentials and site.credential.username in credentials

    shown = site.run("show", str(mine.pk))
    assert shown.returncode == 0, shown.stderr
    assert b"status:" in shown.stdout and b"queued" in shown.stdout
    assert json.loads(site.run("show", str(mine.pk), "--json").stdout)["title"] == "mine"


def test_errors_are_one_line(site: Site) -> None:
    stranger = factories.user("cli-stranger")
    theirs = factories.job(stranger, site.server, title="theirs")
    mine = factories.job(site.user, site.server, credential=site.credential, title="mine")

    # Bad URLs: malformed, and nothing listening.
    one_line_error(
        site.run("login", "example.org", "-u", "x", "--password-stdin", input=b"pw\n"),
        1,
        "bad URL 'example.org'",
    )
    closed = f"http://127.0.0.1:{free_port()}"
    one_line_error(site.run("jobs", DRS_URL=closed), 1, f"cannot reach {closed}")
    one_line_error(site.run("logs", str(mine.pk), "--follow", DRS_URL=closed), 255, "cannot reach")

    # Refused login, and a token the server does not know.
    refused = site.run(
        "login", site.url, "-u", "cli-owner", "--password-stdin", input=b"wrong\n", DRS_TOKEN=""
    )
    one_line_error(refused, 1, f"login refused by {site.url}")
    assert not (site.home / "config" / "drs" / "config.json").exists()
    one_line_error(site.run("jobs", DRS_TOKEN="not-a-token"), 1, "did not accept the token")
    one_line_error(site.run("jobs", DRS_TOKEN="", DRS_URL=""), 1, "not logged in")

    # Unknown names.
    unknown = site.run(
        "submit", "-", "--server", "nope", "--interpreter", "python3", input=b"print(1)"
    )
    one_line_error(unknown, 1, f"no server named 'nope' (yours: {SERVER_NAME})")
    unknown = site.run("submit", "-", "--server", SERVER_NAME, "--interpreter", "perl", input=b"1")
    one_line_error(unknown, 1, "no interpreter named 'perl'")
    assert not Job.objects.filter(title="stdin").exists()

    # Another user's job does not exist, for every command; a bad id is named.
    for command in (["show"], ["cancel"], ["rerun"], ["logs"], ["results"]):
        one_line_error(site.run(*command, str(theirs.pk)), 1, f"job {theirs.pk}: not found")
    one_line_error(site.run("show", "12"), 1, "bad job id '12'")

    # The log websocket refuses the handshake: not your job, or a token it does not take.
    one_line_error(site.run("logs", str(theirs.pk), "--follow"), 255, "refused to follow")
    refused = site.run("logs", str(mine.pk), "--follow", DRS_TOKEN="not-a-token")
    one_line_error(refused, 255, "(HTTP 403)")

    # Validation errors name the field.
    bad_env = site.run(
        "submit", "-", "--server", SERVER_NAME, "--interpreter", "python3", "--env", "1X=2",
        input=b"print(1)",
    )  # fmt: skip
    one_line_error(bad_env, 1, "environment")
    # --debug shows the traceback instead.
    debug = site.run("--debug", "show", str(theirs.pk))
    assert debug.returncode == 1 and b"Traceback" in debug.stderr
