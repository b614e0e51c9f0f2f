#!/usr/bin/env python3
"""End-to-end browser tests: real sshd, real DRS (daphne + workers), Debian's Chromium.

Run with the project venv: `.venv/bin/python tests/e2e/run.py [playwright args...]`.
It picks free ports, starts the private sshd from `tests/fixtures/sshd.py`, serves DRS
from a temporary data dir with the built SPA, runs the Playwright suite in
`tests/e2e/`, and stops everything. Screenshots land in `test-artifacts/`.

Specs that need an empty installation (OWN_STACK) run afterwards, each on a fresh stack
of its own; the others share one. Positional arguments that name specs (e.g. `jobs` or
`tests/e2e/jobs.spec.ts`) choose which run; other arguments go to every Playwright run.

`--serve` starts the same stack and waits (for poking at it by hand).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
E2E = ROOT / "tests" / "e2e"
ARTIFACTS = ROOT / "test-artifacts"
PYTHON = sys.executable
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Each needs an installation nobody else touched: the first-run checklist shows only with no
# server yet; the upload test takes the new-job form's defaults, i.e. the only server.
OWN_STACK = ("firsthour.spec.ts", "inputs.spec.ts")
# Playwright options that take a value, so that value is not read as a spec name.
VALUE_OPTIONS = {
    "-g", "--grep", "--grep-invert", "-j", "--workers", "--project", "--reporter",
    "--timeout", "--retries", "--repeat-each", "--max-failures", "--output", "--trace",
}  # fmt: skip

sys.path.insert(0, str(ROOT))
from tests.fixtures.sshd import Sshd, free_port  # noqa: E402


def log(message: str) -> None:
    print(f"[e2e] {message}", flush=True)


def spa_is_stale() -> bool:
    index = FRONTEND / "dist" / "index.html"
    if not index.is_file():
        return True
    built = index.stat().st_mtime
    sources = [
        *(FRONTEND / "src").rglob("*"),
        FRONTEND / "index.html",
        FRONTEND / "package-lock.json",
    ]
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def ensure_frontend() -> None:
    if not (FRONTEND / "node_modules" / ".bin" / "playwright").exists():
        log("installing frontend dependencies (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    if spa_is_stale():
        log("building the SPA")
        subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True)
    # Specs live in tests/e2e but import @playwright/test from the frontend's install.
    link = E2E / "node_modules"
    if not link.exists():
        link.symlink_to(os.path.relpath(FRONTEND / "node_modules", E2E))


def wait_http(url: str, timeout: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own http:// URL)
                return
        except urllib.error.HTTPError:
            return  # it answers (e.g. 403 for anonymous): up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def stack(tmp: Path, name: str) -> Iterator[dict[str, str]]:
    data_dir = tmp / "data"
    data_dir.mkdir()
    app_port = free_port()
    admin_password = secrets.token_urlsafe(12)
    env = os.environ | {
        "DRS_DATA_DIR": str(data_dir),
        "DRS_ALLOWED_SSH_NETWORKS": "127.0.0.0/8",
        "DRS_ALLOWED_WEBHOOK_NETWORKS": "127.0.0.0/8",  # notify.spec.ts's receiver
        "DRS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DRS_ADMIN_USER": "admin",
        "DRS_ADMIN_PASSWORD": admin_password,
        "DRS_WORKERS": os.environ.get("DRS_WORKERS", "3"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage = [PYTHON, str(ROOT / "backend" / "manage.py")]

    log("starting sshd")
    sshd = Sshd(tmp / "sshd").start()
    app: subprocess.Popen[bytes] | None = None
    app_log = (ARTIFACTS / f"e2e-server{'' if name == 'shared' else '-' + name}.log").open("wb")
    try:
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "bootstrap_admin"], env=env, check=True, stdout=subprocess.DEVNULL)
        user_password = secrets.token_urlsafe(12)
        make_user = (
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_user('alice', password='{user_password}')"
        )
        subprocess.run(
            [*manage, "shell", "-c", make_user], env=env, check=True, stdout=subprocess.DEVNULL
        )
        log(f"starting DRS ({name}) on 127.0.0.1:{app_port}")
        app = subprocess.Popen(
            [*manage, "serve", "--host", "127.0.0.1", "--port", str(app_port)],
            env=env,
            stdout=app_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base_url = f"http://127.0.0.1:{app_port}"
        wait_http(f"{base_url}/api/auth/me/", 60, app)
        key_path = tmp / "e2e_user_key"
        key_path.write_text(sshd.key_user.private_key)
        yield {
            "E2E_BASE_URL": base_url,
            "E2E_ADMIN_USER": "admin",
            "E2E_ADMIN_PASSWORD": admin_password,
            "E2E_USER": "alice",
            "E2E_USER_PASSWORD": user_password,
            "E2E_SSH_HOST": sshd.host,
            "E2E_SSH_PORT": str(sshd.port),
            "E2E_SSH_FINGERPRINT": sshd.host_key_fingerprint,
            "E2E_SSH_USER": sshd.key_user.name,
            "E2E_SSH_KEY_FILE": str(key_path),
            "E2E_SSH_PASSWORD_USER": sshd.password_user.name,
            "E2E_SSH_PASSWORD": sshd.password_user.password,
            "E2E_SSH_PASSWORD_USER_HOME": str(sshd.password_user.home),
            "E2E_ARTIFACTS": str(ARTIFACTS),
            "E2E_CHROMIUM": CHROMIUM,
        }
    finally:
        if app is not None and app.poll() is None:
            log("stopping DRS")
            os.kill(app.pid, signal.SIGTERM)  # serve stops daphne and the cluster in order
            try:
                app.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(app.pid, signal.SIGKILL)
                app.wait()
        app_log.close()
        sshd.stop()


def plan(arguments: list[str]) -> tuple[list[list[str]], list[str]]:
    """The spec files of each stack's run (shared first), and the other arguments."""
    options: list[str] = []
    filters: list[str] = []
    takes_value = False
    for argument in arguments:
        if takes_value or argument.startswith("-"):
            options.append(argument)
            takes_value = not takes_value and argument in VALUE_OPTIONS
        else:
            filters.append(argument)
    specs = sorted(p.name for p in E2E.glob("*.spec.ts"))
    if filters:
        specs = [s for s in specs if any(re.search(f, str(E2E / s)) for f in filters)]
    shared = [s for s in specs if s not in OWN_STACK]
    runs = [shared] if shared else []
    runs += [[s] for s in specs if s in OWN_STACK]
    return runs, options


def run_playwright(tmp: Path, name: str, specs: list[str], options: list[str]) -> int:
    started = time.monotonic()
    with stack(tmp, name) as env:
        command = [
            str(FRONTEND / "node_modules" / ".bin" / "playwright"),
            "test",
            "--config",
            str(E2E / "playwright.config.ts"),
            *options,
            # Anchored: a spec's name is no other's suffix, but a bare name is a pattern.
            *(f"/{re.escape(spec)}$" for spec in specs),
        ]
        log(f"running playwright ({name}): {' '.join(specs)}")
        result = subprocess.run(command, cwd=E2E, env=os.environ | env, check=False)
        log(
            f"playwright ({name}) exited {result.returncode} after "
            f"{time.monotonic() - started:.0f} s"
        )
        return result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", action="store_true", help="start the stack and wait")
    args, playwright_args = parser.parse_known_args()

    if not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} is missing: `apt-get install chromium` (make test-deps)")
        return 2
    ARTIFACTS.mkdir(exist_ok=True)
    ensure_frontend()
    if args.serve:
        tmp = Path(tempfile.mkdtemp(prefix="drs-e2e-"))
        try:
            with stack(tmp, "shared") as env:
                for key, value in env.items():
                    print(f"{key}={value}")
                log("serving; Ctrl-C stops")
                with contextlib.suppress(KeyboardInterrupt):
                    while True:
                        time.sleep(3600)
                return 0
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    runs, options = plan(playwright_args)
    if not runs:
        log(f"no spec matches {playwright_args}")
        return 2
    started = time.monotonic()
    failed: list[str] = []
    for specs in runs:
        name = specs[0].removesuffix(".spec.ts") if specs[0] in OWN_STACK else "shared"
        tmp = Path(tempfile.mkdtemp(prefix="drs-e2e-"))
        try:
            if run_playwright(tmp, name, specs, options) != 0:
                failed.append(name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"{len(runs)} stack(s) in {time.monotonic() - started:.0f} s; failed: {failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
