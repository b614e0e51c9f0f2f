"""The world a benchmark runs in: a private sshd, a fresh PostgreSQL database, a Redis key
prefix, a temp data dir and DRS itself in server mode (`manage.py serve`: daphne and the
worker tree: runner processes plus a one-worker qcluster for scheduled tasks), plus an
authenticated API client. Everything is torn down by `close()`, which `run.py` calls from
`finally` and from the SIGINT/SIGTERM handler."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import psycopg
import redis
import requests

from tests.fixtures.sshd import KEY_USER, Sshd, free_port

ROOT = Path(__file__).resolve().parents[1]
MANAGE = ROOT / "backend" / "manage.py"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ADMIN_USER = "benchadmin"
ADMIN_PASSWORD = "bench-Passw0rd-not-secret"  # noqa: S105 (throwaway database)
PYTHON = "/usr/bin/python3"
RUNNER_READY = re.compile(r"drs\.runner: runner (\S+) ready")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# 5,000 live jobs (P4's largest level) are ~10,000 processes of the test user (the
# detached wrapper and the program) plus sshd sessions, and ~5,000 websockets on each
# side: the sshd (which inherits our limits) and DRS must not meet a per-user process or
# descriptor limit before they meet their own. Raised here, for the bench's children
# only. (The kernel's pid_max, 32,768 by default, bounds the processes of all users.)
WANT_NPROC = 16_000
WANT_NOFILE = 32_768


def raise_limits() -> dict[str, Any]:
    """Raise RLIMIT_NPROC / RLIMIT_NOFILE of this process (inherited by the sshd, the
    remote jobs and DRS) where they are lower than 1,000 jobs need; returns them."""
    import resource

    out: dict[str, Any] = {}
    for name, want in (("nproc", WANT_NPROC), ("nofile", WANT_NOFILE)):
        which = getattr(resource, f"RLIMIT_{name.upper()}")
        soft, hard = resource.getrlimit(which)
        unlimited = resource.RLIM_INFINITY
        if soft != unlimited and soft < want:
            if hard != unlimited and hard < want and os.geteuid() == 0:
                hard = want
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(which, (min(want, hard) if hard != unlimited else want, hard))
        soft, hard = resource.getrlimit(which)
        out[name] = "unlimited" if soft == unlimited else soft
    return out


class Api:
    """Token-authenticated JSON client over one keep-alive HTTP connection."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.token = ""

    def login(self, username: str, password: str) -> None:
        body = self.post("/api/auth/token/", {"username": username, "password": password})
        self.token = body["token"]
        self.session.headers["Authorization"] = f"Token {self.token}"

    def get(self, path: str, **params: Any) -> Any:
        response = self.session.get(self.base + path, params=params or None, timeout=60)
        if response.status_code >= 400:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:500]}")
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.session.post(self.base + path, json=body, timeout=60)
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text[:500]}")
        return response.json()


def _pg_bin(name: str) -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return found[-1] if found else None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb in the workdir, run as `postgres`) with room
    for many connections: DRS holds one or two per busy worker process, so a few hundred
    workers would exhaust a shared server's max_connections (100 by default) and break
    everyone else's tests on it."""

    def __init__(self, directory: Path, max_connections: int) -> None:
        self.dir = directory
        self.port = free_port()
        self.max_connections = max_connections
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.started = False

    @staticmethod
    def available() -> bool:
        return os.geteuid() == 0 and _pg_bin("initdb") is not None

    def _as_postgres(self, *argv: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *argv],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def start(self) -> PrivatePostgres:
        import pwd

        pg = pwd.getpwnam("postgres")
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chown(self.dir, pg.pw_uid, pg.pw_gid)
        self.dir.parent.chmod(0o755)
        data = self.dir / "data"
        self._as_postgres(
            str(_pg_bin("initdb")), "-D", str(data), "-U", "postgres", "--auth=trust",
            "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            f"-c max_connections={self.max_connections} -c shared_buffers=256MB"
        )
        self._as_postgres(
            str(_pg_bin("pg_ctl")), "-D", str(data), "-o", options, "-w", "-t", "60",
            "-l", str(self.dir / "log"), "start",
        )  # fmt: skip
        self.started = True
        return self

    def postmaster_pid(self) -> int | None:
        """The cluster's postmaster (its backends are its children)."""
        try:
            return int((self.dir / "data" / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        if self.started:
            self._as_postgres(
                str(_pg_bin("pg_ctl")), "-D", str(self.dir / "data"), "-m", "immediate",
                "-w", "stop",
            )  # fmt: skip
            self.started = False


class BenchEnv:
    def __init__(self, workdir: Path | None = None, *, private_postgres: bool = True) -> None:
        self.tag = f"bench{os.getpid()}"
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="drs-bench-"))
        self.dir.chmod(0o755)  # the postgres and drstest users read parts of it
        self.data_dir = self.dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db_name = f"drs_bench_{os.getpid()}"
        self.pg: PrivatePostgres | None = None
        if private_postgres and PrivatePostgres.available():
            self.pg = PrivatePostgres(self.dir / "pg", max_connections=1500)
        self.pg_admin_url = self.pg.url if self.pg else PG_ADMIN_URL
        self.db_url = self.pg_admin_url.rsplit("/", 1)[0] + "/" + self.db_name
        self.redis_prefix = f"drsbench{os.getpid()}"
        # Our remote job dirs live apart from everyone else's, so cleanup touches only ours.
        self.jobs_directory = f".drs/{self.tag}"
        self.sshd: Sshd | None = None
        self.app: subprocess.Popen[bytes] | None = None
        self.app_log = self.dir / "serve.log"
        self.app_workers = 0
        self.app_log_offset = 0
        self.port = 0
        self.api: Api | None = None
        self.server_id = 0
        self.credential_id = 0
        self.interpreter_id = 0
        self.shell_interpreter_id = 0  # programs.SHELL: P4's large levels
        self.db_created = False
        self._closed = False
        self._go = 0
        self.limits: dict[str, Any] = {}

    # --- setup -------------------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DRS_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
        }
        return env | {
            "DJANGO_SETTINGS_MODULE": "drs_site.settings",
            "DATABASE_URL": self.db_url,
            "REDIS_URL": REDIS_URL,
            "DRS_REDIS_PREFIX": self.redis_prefix,
            "DRS_DATA_DIR": str(self.data_dir),
            "DRS_ALLOWED_SSH_NETWORKS": "127.0.0.0/8",
            "DRS_ALLOWED_WEBHOOK_NETWORKS": "127.0.0.0/8",  # NOTIFY's silent receiver
            "DRS_ADMIN_USER": ADMIN_USER,
            "DRS_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "DRS_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "backend"),
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> BenchEnv:
        log(f"workdir {self.dir}")
        self.limits = raise_limits()
        self.sshd = Sshd(self.dir / "sshd").start()
        log(f"sshd on 127.0.0.1:{self.sshd.port}")
        if self.pg is not None:
            self.pg.start()
            log(f"private PostgreSQL on port {self.pg.port} (max_connections 1500)")
        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.db_created = True
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("bootstrap_admin")
        log(f"database {self.db_name} migrated")
        return self

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_app(self, workers: int | None = None, *, fresh: bool = False) -> None:
        """(Re)start `manage.py serve` with DRS_WORKERS=workers runner processes (default:
        the CPU count, as in production); wait until every runner and the scheduler are
        ready. Runner v2 follows many jobs per process: the job count needs no workers."""
        workers = workers or os.cpu_count() or 2
        if self.app is not None and self.app_workers == workers and not fresh:
            return
        self.stop_app()
        self.port = free_port()
        offset = self.app_log.stat().st_size if self.app_log.exists() else 0
        self.app_log_offset = offset
        out = self.app_log.open("ab")
        env = self.env | {"DRS_WORKERS": str(workers), "DRS_LOG_LEVEL": "INFO"}
        self.app = subprocess.Popen(
            [sys.executable, str(MANAGE), "serve", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.app_workers = workers
        deadline = time.monotonic() + 60 + workers * 0.5
        base = f"http://127.0.0.1:{self.port}"
        while True:
            if self.app.poll() is not None:
                raise RuntimeError(f"serve exited: {self.app_log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not get ready: {self.app_log.read_text()[-3000:]}")
            text = self.app_log.read_text(errors="replace")[offset:]
            runners = len(RUNNER_READY.findall(text))
            scheduler = "ready for work at" in text
            if runners >= workers and scheduler:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(base + "/api/auth/me/", timeout=2).status_code in (401, 403):
                        break
            time.sleep(0.2)
        log(f"DRS serving on {base} with {workers} runner processes")
        self.api = Api(base)
        self.api.login(ADMIN_USER, ADMIN_PASSWORD)
        if not self.server_id:
            self._create_objects()

    def _create_objects(self) -> None:
        """Interpreters, server (host key pinned) and credential, through the API."""
        from bench.programs import SHELL

        assert self.api is not None and self.sshd is not None
        interp = self.api.post(
            "/api/interpreters/", {"name": "bench-python3", "path": PYTHON, "arguments": ["-u"]}
        )
        shell = self.api.post(
            "/api/interpreters/", {"name": "bench-bash", "path": SHELL, "arguments": []}
        )
        server = self.api.post(
            "/api/servers/",
            {
                "name": "bench-sshd",
                "hostname": self.sshd.host,
                "port": self.sshd.port,
                "host_key": self.sshd.host_key,
                "interpreters": [interp["id"], shell["id"]],
                "max_concurrent_jobs": 10_000,
                "jobs_directory": self.jobs_directory,
            },
        )
        cred = self.api.post(
            "/api/credentials/",
            {
                "server": server["id"],
                "name": "bench key",
                "username": self.sshd.key_user.name,
                "kind": "key",
                "private_key": self.sshd.key_user.private_key,
            },
        )
        self.interpreter_id, self.server_id, self.credential_id = (
            interp["id"],
            server["id"],
            cred["id"],
        )
        self.shell_interpreter_id = shell["id"]

    def go_file(self) -> Path:
        """A fresh path for a start barrier file the remote user can read (same machine)."""
        self._go += 1
        go_dir = self.dir / "go"
        go_dir.mkdir(exist_ok=True)
        self.dir.chmod(0o755)
        go_dir.chmod(0o755)
        return go_dir / f"go-{self._go}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def job_body(
        self, program: str, arguments: list[str] | None = None, title: str = "", **extra: Any
    ) -> dict[str, Any]:
        return {
            "title": title,
            "server": self.server_id,
            "credential": self.credential_id,
            "interpreter": self.interpreter_id,
            "program": program,
            "arguments": arguments or [],
        } | extra

    def submit(
        self, program: str, arguments: list[str] | None = None, title: str = "", **extra: Any
    ) -> Any:
        assert self.api is not None
        return self.api.post("/api/jobs/", self.job_body(program, arguments, title, **extra))

    def new_credential(self, name: str) -> int:
        """Another credential for the same user and key: a new pool key (a cold pool)."""
        assert self.api is not None and self.sshd is not None
        cred = self.api.post(
            "/api/credentials/",
            {
                "server": self.server_id,
                "name": name,
                "username": self.sshd.key_user.name,
                "kind": "key",
                "private_key": self.sshd.key_user.private_key,
            },
        )
        return int(cred["id"])

    def db_connections(self) -> int:
        """Sessions on the DRS database now, this query's own excluded."""
        with self.db() as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                (self.db_name,),
            ).fetchone()
        return int(row[0]) if row else 0

    def db(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.db_url, autocommit=True)

    def app_processes(self) -> list[psutil.Process]:
        """Every DRS process: serve, daphne, the worker supervisor, its runners and qcluster."""
        if self.app is None:
            return []
        try:
            root = psutil.Process(self.app.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def runner_pids(self) -> dict[str, int]:
        """Lease owner (host:pid:token) -> pid of each runner this app started."""
        text = self.app_log.read_text(errors="replace")[self.app_log_offset :]
        return {owner: int(owner.split(":")[-2]) for owner in RUNNER_READY.findall(text)}

    # --- teardown -------------------------------------------------------------------------------

    def stop_app(self) -> None:
        if self.app is None:
            return
        tree = self.app_processes()
        if self.app.poll() is None:
            self.app.send_signal(signal.SIGTERM)  # serve stops daphne and the cluster in order
            try:
                self.app.wait(40)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()
        for proc in tree:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        self.app = None
        self.api = None
        self.app_workers = 0

    def kill_remote_groups(self) -> int:
        """SIGKILL the process group of every running remote job of ours; their job dirs
        stay, so DRS sees each end (killed) and finishes it. Returns how many."""
        if self.sshd is None:
            return 0
        killed = 0
        for pgid_file in (self.sshd.key_user.home / self.jobs_directory).glob("*/pgid"):
            with contextlib.suppress(ValueError, OSError):
                if not (pgid_file.parent / "exit_code").exists():
                    os.killpg(int(pgid_file.read_text().split()[0]), signal.SIGKILL)
                    killed += 1
        return killed

    def kill_remote_jobs(self) -> None:
        """Kill the process groups of our remote jobs (they are setsid'd: they outlive
        their SSH connection and our sshd) and remove our job dirs."""
        if self.sshd is None:
            return
        base = self.sshd.key_user.home / self.jobs_directory
        if not base.exists():
            return
        for pgid_file in base.glob("*/pgid"):
            with contextlib.suppress(ValueError, OSError):
                pgid = int(pgid_file.read_text().split()[0])
                if not (pgid_file.parent / "exit_code").exists():
                    os.killpg(pgid, signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        steps = [
            ("app", self.stop_app),
            ("remote jobs", self.kill_remote_jobs),
            ("sshd", lambda: self.sshd.stop() if self.sshd else None),
            ("database", self._drop_database),
            ("redis", self._clear_redis),
            ("workdir", self._remove_workdir),
        ]
        for name, step in steps:
            try:
                step()
            except Exception as exc:  # cleanup goes on whatever one step did
                log(f"cleanup of {name} failed: {exc}")

    def _remove_workdir(self) -> None:
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {self.dir} (BENCH_KEEP)")
            return
        shutil.rmtree(self.dir, ignore_errors=True)

    def _drop_database(self) -> None:
        if self.db_created:
            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            self.db_created = False
        if self.pg is not None:
            self.pg.stop()

    def _clear_redis(self) -> None:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"*{self.redis_prefix}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])


def ssh_cli_args(env: BenchEnv) -> list[str]:
    """`ssh` arguments for the bench sshd with the pinned host key (no TOFU)."""
    assert env.sshd is not None
    known = env.dir / "known_hosts"
    if not known.exists():
        known.write_text(f"[{env.sshd.host}]:{env.sshd.port} {env.sshd.host_key}\n")
    key = env.sshd.key_user.private_key_path
    return [
        "ssh", "-F", "/dev/null", "-p", str(env.sshd.port), "-i", str(key),
        "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", f"UserKnownHostsFile={known}", "-o", "StrictHostKeyChecking=yes",
        f"{KEY_USER}@{env.sshd.host}",
    ]  # fmt: skip
