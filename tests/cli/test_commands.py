"""`drs` without workers: login and its stored config, the lists, and every error being
one line with a non-zero status (no traceback)."""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import stat
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from drs.jobs.models import Job
from drs.tokens.models import ApiToken
from tests import factories
from tests.cli.conftest import SERVER_NAME, Site
from tests.fixtures.daphne import free_port

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_login_names_a_new_token_and_logout_revokes_it(site: Site) -> None:
    config = site.home / "config" / "drs" / "config.json"
    login = ["login", site.url, "-u", "cli-owner", "--password-stdin"]
    for _ in range(2):
        done = site.run(*login, input=f"{factories.PASSWORD}\n".encode(), DRS_URL="", DRS_TOKEN="")
        assert done.returncode == 0, done.stderr
    stored = json.loads(config.read_text())
    token = ApiToken.objects.get(pk=stored["token_id"])
    assert token.name.startswith("drs CLI on ") and stored["token"].startswith(token.prefix)
    assert ApiToken.objects.filter(user=site.user).count() == 3  # the site's, two logins

    done = site.run("logout", DRS_URL="", DRS_TOKEN="")
    assert done.returncode == 0, done.stderr
    assert b"token revoked" in done.stderr
    assert not config.exists()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    revoked = site.run("servers", DRS_URL=site.url, DRS_TOKEN=stored["token"])
    assert revoked.returncode != 0 and b"did not accept the token" in revoked.stderr

    # A token from DRS_TOKEN is found by its prefix and revoked too.
    done = site.run("logout")
    assert done.returncode == 0, done.stderr
    # Only the first login's token is left: each login made its own.
    left = ApiToken.objects.filter(user=site.user)
    assert [t.name.startswith("drs CLI on ") for t in left] == [True]


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
    theirs = str(factories.job(stranger, site.server, title="theirs").pk)
    mine = str(factories.job(site.user, site.server, credential=site.credential, title="x").pk)
    closed = f"http://127.0.0.1:{free_port()}"
    submit = ["submit", "-", "--server", SERVER_NAME, "--interpreter", "python3"]
    login = ["login", site.url, "-u", "cli-owner", "--password-stdin"]
    # (arguments, options for Site.run, exit status, text of the one line)
    cases: list[tuple[list[str], dict[str, Any], int, str]] = [
        # Bad URLs: malformed, and nothing listening.
        (["login", "example.org", "-u", "x", "--password-stdin"], {"input": b"pw\n"}, 1,
         "bad URL 'example.org'"),
        (["jobs"], {"DRS_URL": closed}, 1, f"cannot reach {closed}"),
        (["logs", mine, "--follow"], {"DRS_URL": closed}, 255, "cannot reach"),
        (["submit", "-", "--server", "x", "--interpreter", "y", "--follow"],
         {"DRS_URL": closed, "input": b"1"}, 255, "cannot reach"),
        # A refused login; a token the server does not know; none at all.
        (login, {"input": b"wrong\n", "DRS_TOKEN": ""}, 1, f"login refused by {site.url}"),
        (["jobs"], {"DRS_TOKEN": "not-a-token"}, 1, "did not accept the token"),
        (["jobs"], {"DRS_TOKEN": "", "DRS_URL": ""}, 1, "not logged in"),
        # Unknown names, bad input (the field is named).
        (["submit", "-", "--server", "nope", "--interpreter", "python3"], {"input": b"1"}, 1,
         f"no server named 'nope' (yours: {SERVER_NAME})"),
        (["submit", "-", "--server", SERVER_NAME, "--interpreter", "perl"], {"input": b"1"}, 1,
         "no interpreter named 'perl'"),
        ([*submit, "--env", "1X=2"], {"input": b"1"}, 1, "environment"),
        (["show", "12"], {}, 1, "bad job id '12'"),
        # Another user's job does not exist, for every command.
        *((
            [command, theirs], {}, 1, f"job {theirs}: not found")
            for command in ("show", "cancel", "rerun", "logs", "results")
        ),
        # The log websocket refuses the handshake: not your job, or a token it refuses.
        (["logs", theirs, "--follow"], {}, 255, f"the server refused to follow job {theirs}"),
        (["logs", mine, "--follow"], {"DRS_TOKEN": "not-a-token"}, 255, "(HTTP 403)"),
    ]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda case: site.run(*case[0], **case[1]), cases))
    for (args, _, code, text), result in zip(cases, done, strict=True):
        assert result.returncode == code, (args, result.returncode, result.stderr)
        assert result.stderr.startswith(b"drs: "), (args, result.stderr)
        assert result.stderr.count(b"\n") == 1, (args, result.stderr)
        assert text.encode() in result.stderr, (args, result.stderr)
    assert not (site.home / "config" / "drs" / "config.json").exists()
    assert set(Job.objects.values_list("title", flat=True)) == {"theirs", "x"}

    # --debug shows the traceback instead.
    debug = site.run("--debug", "show", theirs)
    assert debug.returncode == 1 and b"Traceback" in debug.stderr


class NoWebsocketProxy(socketserver.ThreadingTCPServer):
    """A proxy in front of daphne that passes HTTP and refuses websocket upgrades with
    403, as some corporate proxies and misconfigured ingresses do."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            client: socket.socket = self.request
            head = b""
            while b"\r\n\r\n" not in head:
                data = client.recv(65536)
                if not data:
                    return
                head += data
            if b"upgrade: websocket" in head.lower():
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            upstream = socket.create_connection(self.server.upstream)  # type: ignore[attr-defined]
            upstream.sendall(head)

            def pump(source: socket.socket, target: socket.socket) -> None:
                with contextlib.suppress(OSError):
                    while data := source.recv(65536):
                        target.sendall(data)
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)

            back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
            back.start()
            pump(client, upstream)
            back.join(30)
            upstream.close()


def test_websocket_refused_by_a_proxy(site: Site) -> None:
    with NoWebsocketProxy((site.daphne.host, site.daphne.port)) as proxy:
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        try:
            assert site.run("jobs", DRS_URL=url).returncode == 0  # REST passes
            done = site.run(
                "submit", "-", "--server", SERVER_NAME, "--interpreter", "python3", "--follow",
                "--quiet", input=b"print(1)", DRS_URL=url,
            )  # fmt: skip
        finally:
            proxy.shutdown()
    job = Job.objects.get()
    assert done.returncode == 255
    assert done.stdout == b""
    assert (
        done.stderr
        == (
            f"drs: the server refused to follow job {job.pk} (HTTP 403): no such job of yours, "
            f"or your token is not accepted (job {job.pk} was submitted)\n"
        ).encode()
    )
