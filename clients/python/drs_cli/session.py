"""Where the CLI and scripts find the server and the token.

`drs login URL` trades a user name and password for a new named token (`POST
/api/auth/token/`) and stores `{"url", "token", "token_id"}` in the user's config dir (`$XDG_CONFIG_HOME/drs/config.json` on
Linux, via platformdirs) with mode 0600. `DRS_URL` and `DRS_TOKEN` override the stored
values one by one, so a CI job needs no file at all. `drs logout` revokes the token on the
server and removes the file.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import platformdirs

from drs_cli.errors import DrsError
from drs_client import AuthenticatedClient, Client
from drs_client.api.auth import auth_token
from drs_client.models import TokenLoginRequest

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass(frozen=True)
class Session:
    """A DRS site (`url`: scheme, host, port and any path prefix, without `/api`) and a token."""

    url: str
    token: str
    token_id: int | None = None  # known when this CLI created the token (to revoke it)

    def client(self, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> AuthenticatedClient:
        """The generated client, sending `Authorization: Token <token>`."""
        return AuthenticatedClient(
            base_url=self.url, token=self.token, prefix="Token", timeout=timeout
        )

    @property
    def ws_url(self) -> str:
        """The websocket base: http → ws, https → wss."""
        return "ws" + self.url.removeprefix("http")

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


def normalize_url(url: str) -> str:
    """`http://host:8000/`, `http://host:8000/api` → `http://host:8000`; anything that is
    not an http(s) URL with a host is refused here, before any request."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DrsError(f"bad URL {url!r}: expected http://HOST[:PORT] or https://HOST[:PORT]")
    try:
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        raise DrsError(f"bad URL {url!r}: {exc}") from None
    path = parts.path.rstrip("/")
    path = path.removesuffix("/api")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def config_path() -> Path:
    return Path(platformdirs.user_config_dir("drs", appauthor=False)) / "config.json"


def load(env: Mapping[str, str] = os.environ) -> Session:
    """The session from the config file, overridden by DRS_URL / DRS_TOKEN."""
    stored: dict[str, str] = {}
    path = config_path()
    if path.exists():
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise DrsError(f"cannot read {path}: {exc}; run `drs login URL` again") from None
        if isinstance(data, dict):
            stored = data
    url = env.get("DRS_URL") or _text(stored.get("url"))
    token = env.get("DRS_TOKEN") or _text(stored.get("token"))
    if not url or not token:
        raise DrsError("not logged in: run `drs login URL`, or set DRS_URL and DRS_TOKEN")
    token_id = stored.get("token_id")
    if env.get("DRS_TOKEN") or not isinstance(token_id, int) or isinstance(token_id, bool):
        token_id = None  # the stored id names the stored token only
    return Session(normalize_url(url), token, token_id)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def save(session: Session) -> Path:
    """Write the config with mode 0600 (the token is a password): a private temp file in
    the same directory, then an atomic rename."""
    path = config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:  # mkstemp creates it 0600
            json.dump(
                {"url": session.url, "token": session.token, "token_id": session.token_id}, fh
            )
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    path.chmod(0o600)
    return path


def login(url: str, username: str, password: str) -> Session:
    """Trade a user name and password for a token. Raises DrsError with one line on a bad
    URL, an unreachable or non-DRS server, or refused credentials."""
    from drs_cli.api import error_detail, request

    base = normalize_url(url)
    # The token view takes no auth; the generated signature wants an AuthenticatedClient
    # only because the operation also lists token auth. A plain Client sends no header.
    anonymous = cast(AuthenticatedClient, Client(base_url=base, timeout=DEFAULT_TIMEOUT))
    response = request(
        f"login at {base}",
        auth_token.sync_detailed,
        client=anonymous,
        body=TokenLoginRequest(
            username=username, password=password, name=f"drs CLI on {socket.gethostname()}"[:100]
        ),
        expect=(201, 400, 401, 429),
    )
    if response.status_code == 429:
        raise DrsError(f"login refused: too many attempts ({error_detail(response)})")
    if response.status_code != 201 or response.parsed is None:
        raise DrsError(f"login refused by {base}: {error_detail(response)}")
    return Session(base, response.parsed.token, response.parsed.id)


def forget() -> Path | None:
    """Remove the stored login; its path, or None when there was none."""
    path = config_path()
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    return path
