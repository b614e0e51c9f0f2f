"""`make docker-test`: build the images, start docker/compose.yaml, and use it as a user would.

1. builds the DRS image (on the locally made Debian base, tests/deploy/docker_setup.sh)
   and the PostgreSQL, Redis and demo sshd images that stand in for Docker Hub's;
2. `docker-compose up`, then waits for `GET /api/health/` (every part) and prints the time;
3. signs in with the admin password that the init step printed, submits a job to the demo
   sshd through the API and follows its log over the websocket until `end`, restarting
   the worker container while the job runs;
4. checks the log is exact (websocket frames, `log.txt`) and downloads a result file;
5. submits a job to the demo Slurm cluster (server `demo-slurm`, docker/slurm) with
   resources: it runs under Slurm (its `SLURM_JOB_ID` is the job's `scheduler_job_id`)
   and succeeds with exact stdout and stderr;
6. tears everything down, also on failure or Ctrl-C.

Run by `make docker-test` (not by pytest's collection); needs root and dockerd.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import websockets

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker" / "compose.yaml"
DOCKER = "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker"
BASE = os.environ.get("DRS_TEST_BASE_IMAGE", "drs-test-base")
IMAGE = "drs-test:latest"
AUX = {
    "postgres": "drs-test-postgres",
    "redis": "drs-test-redis",
    "demo-sshd": "drs-test-demo-sshd",
    "slurm": "drs-test-slurm",
}
# Link-local, like dockerd's pools here (tests/deploy/docker_setup.sh): no private ranges.
SUBNET = "169.254.130.0/24"
LINES = 300
PROGRAM = f"""\
import sys, time
for i in range({LINES}):
    print(f"line {{i:04d}} ✓", flush=True)
    if i % 50 == 0:
        print(f"progress {{i}}", file=sys.stderr, flush=True)
    time.sleep(0.1)
with open("result.txt", "w") as fh:
    fh.write("the answer is 42\\n")
"""
EXPECTED_STDOUT = "".join(f"line {i:04d} ✓\n" for i in range(LINES))
EXPECTED_STDERR = "".join(f"progress {i}\n" for i in range(0, LINES, 50))
SLURM_PROGRAM = """\
import os, sys
print("slurm job", os.environ["SLURM_JOB_ID"])
print("cpus", os.environ["SLURM_CPUS_PER_TASK"], "partition", os.environ["SLURM_JOB_PARTITION"])
print("to stderr", file=sys.stderr)
"""


def log(message: str) -> None:
    print(f"[docker-test {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(*args: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
    done = subprocess.run(
        list(args), env=env, check=False, text=True,
        stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stdout or ''}")
    return done.stdout or ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Stack:
    def __init__(self) -> None:
        self.project = f"drstest{os.getpid()}"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DRS_IMAGE": IMAGE,
            "DRS_POSTGRES_IMAGE": AUX["postgres"],
            "DRS_REDIS_IMAGE": AUX["redis"],
            "DRS_DEMO_SSHD_IMAGE": AUX["demo-sshd"],
            "DRS_SLURM_IMAGE": AUX["slurm"],
            "DRS_SUBNET": SUBNET,
            "DRS_ALLOWED_SSH_NETWORKS": SUBNET,
            "DRS_PORT": str(self.port),
            "DRS_WORKERS": "2",
            # A restarted worker takes its job back quickly.
            "DRS_LEASE_SECONDS": "10",
            "POSTGRES_PASSWORD": hashlib.sha256(os.urandom(16)).hexdigest()[:24],
            "DRS_METRICS_TOKEN": hashlib.sha256(os.urandom(16)).hexdigest()[:32],
        }
        for name in ("DRS_ADMIN_PASSWORD", "DRS_SECRET_KEY", "DRS_CREDENTIALS_KEY"):
            self.env.pop(name, None)  # the stack must make its own

    def compose(self, *args: str, capture: bool = False) -> str:
        return run(
            "docker-compose", "-p", self.project, "-f", str(COMPOSE_FILE), *args,
            env=self.env, capture=capture,
        )  # fmt: skip

    def down(self) -> None:
        with contextlib.suppress(RuntimeError):
            logs = self.compose("logs", "--no-color", "--tail", "60", capture=True)
            Path("/tmp/drs-docker-test.log").write_text(logs)
        with contextlib.suppress(RuntimeError):
            self.compose("down", "-v", "--remove-orphans", "-t", "10", capture=True)


def build() -> None:
    started = time.monotonic()
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    for name, tag in AUX.items():
        run(DOCKER, "build", "-q", "--build-arg", f"BASE_IMAGE={BASE}", "-t", tag,
            str(ROOT / "docker" / name), env=env, capture=True)  # fmt: skip
    run(DOCKER, "build", "--progress=plain", "--build-arg", f"BASE_IMAGE={BASE}", "-t", IMAGE,
        "-f", str(ROOT / "docker" / "Dockerfile"), str(ROOT), env=env, capture=True)  # fmt: skip
    size = int(run(DOCKER, "image", "inspect", "-f", "{{.Size}}", IMAGE, capture=True))
    log(f"images built in {time.monotonic() - started:.0f} s")
    log(f"IMAGE SIZE {IMAGE}: {size / 1e6:.0f} MB (base {BASE})")
    for tag in AUX.values():
        aux = int(run(DOCKER, "image", "inspect", "-f", "{{.Size}}", tag, capture=True))
        log(f"  {tag}: {aux / 1e6:.0f} MB")


def http(
    method: str, url: str, *, token: str = "", body: Any = None, raw: bool = False
) -> tuple[int, Any]:
    headers = {"Accept": "*/*" if raw else "application/json"}
    data = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            content = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        content, status = exc.read(), exc.code
    if raw:
        return status, content
    try:
        return status, json.loads(content)
    except ValueError:
        return status, content.decode(errors="replace")


def wait_healthy(stack: Stack, timeout: float = 300) -> float:
    started = time.monotonic()
    last: Any = None
    while time.monotonic() - started < timeout:
        with contextlib.suppress(OSError):
            status, last = http("GET", f"{stack.base_url}/api/health/")
            if status == 200:
                return time.monotonic() - started
        time.sleep(1)
    raise RuntimeError(f"not healthy after {timeout:.0f} s: {last}")


def admin_password(stack: Stack) -> str:
    logs = stack.compose("logs", "--no-color", "init", capture=True)
    match = re.search(r"Created admin 'admin'(?:,| with) password: (\S+)", logs)
    if not match:
        raise RuntimeError(f"the init step printed no admin password:\n{logs[-2000:]}")
    return match.group(1)


async def follow(stack: Stack, job_id: str, token: str, restart_at: int) -> dict[str, Any]:
    """Follow the log until `end`, resuming after drops; restart the worker mid-job."""
    frames: list[dict[str, Any]] = []
    restarter: threading.Thread | None = None
    url = f"ws://127.0.0.1:{stack.port}/ws/jobs/{job_id}/logs/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        after = frames[-1]["seq"] if frames else 0
        try:
            async with websockets.connect(
                f"{url}?after={after}",
                additional_headers={"Authorization": f"Token {token}"},
                max_size=None,
                open_timeout=30,
            ) as ws:
                async for raw in ws:
                    frame = json.loads(raw)
                    if frame["type"] == "end":
                        if restarter:
                            restarter.join()
                        return {"frames": frames, "end": frame}
                    assert frame["seq"] == (frames[-1]["seq"] if frames else 0) + 1, frame
                    frames.append(frame)
                    lines = sum(f["data"].count("\n") for f in frames if f["stream"] == "stdout")
                    if restarter is None and lines >= restart_at:
                        log(f"{lines} lines seen: restarting the worker container")
                        restarter = threading.Thread(
                            target=stack.compose, args=("restart", "-t", "20", "worker")
                        )
                        restarter.start()
        except (OSError, websockets.ConnectionClosed, websockets.InvalidHandshake) as exc:
            log(f"websocket dropped ({exc!r}); resuming after seq {after}")
        await asyncio.sleep(1)
    raise RuntimeError("no `end` within 300 s")


def exercise(stack: Stack) -> None:
    password = admin_password(stack)
    status, body = http(
        "POST", f"{stack.base_url}/api/auth/token/",
        body={"username": "admin", "password": password},
    )  # fmt: skip
    assert status == 201, body
    token = body["token"]

    def listing(path: str) -> list[dict[str, Any]]:
        status, body = http("GET", f"{stack.base_url}/api/{path}", token=token)
        assert status == 200, body
        return body["results"] if isinstance(body, dict) else body

    server = next(s for s in listing("servers/") if s["name"] == "demo")
    log(f"demo server pinned: {server['host_key_fingerprint']}")
    credential = next(c for c in listing("credentials/") if c["server"] == server["id"])
    python3 = next(i for i in listing("interpreters/") if i["name"] == "python3")
    status, job = http(
        "POST", f"{stack.base_url}/api/jobs/", token=token,
        body={"title": "docker-test", "server": server["id"], "credential": credential["id"],
              "interpreter": python3["id"], "program": PROGRAM, "result_patterns": ["*.txt"]},
    )  # fmt: skip
    assert status == 201, job
    log(f"job {job['id']} submitted")
    followed = asyncio.run(follow(stack, job["id"], token, restart_at=LINES // 3))
    end = followed["end"]
    assert end["status"] == "succeeded" and end["exit_code"] == 0, end
    frames = followed["frames"]
    stdout = "".join(f["data"] for f in frames if f["stream"] == "stdout")
    stderr = "".join(f["data"] for f in frames if f["stream"] == "stderr")
    assert stdout == EXPECTED_STDOUT, "websocket stdout differs from what the job printed"
    assert stderr == EXPECTED_STDERR, "websocket stderr differs from what the job printed"
    status, text = http(
        "GET", f"{stack.base_url}/api/jobs/{job['id']}/log.txt?stream=stdout", token=token,
        raw=True,
    )  # fmt: skip
    assert status == 200, (status, text[:300])
    assert text == EXPECTED_STDOUT.encode(), "log.txt differs from what the job printed"
    log(f"log exact: {len(frames)} chunks, {len(stdout.encode())} stdout bytes, worker restarted")
    results = listing(f"jobs/{job['id']}/results/")
    result = next(r for r in results if r["path"] == "result.txt")
    status, content = http("GET", stack.base_url + result["download_url"], token=token, raw=True)
    assert status == 200 and content == b"the answer is 42\n", (status, content)
    assert hashlib.sha256(content).hexdigest() == result["sha256"]
    log("result downloaded and verified")
    status, _ = http("GET", f"{stack.base_url}/metrics", raw=True)
    assert status == 403, "metrics must not be open to the network without the token"
    # With the token: the worker container's runners counted what they persisted (its
    # metrics files live in the data volume the web container reads).
    request = urllib.request.Request(  # noqa: S310
        f"{stack.base_url}/metrics",
        headers={"Authorization": f"Bearer {stack.env['DRS_METRICS_TOKEN']}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        text = response.read().decode()
    values = dict(
        line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    logged = len((stdout + stderr).encode())
    assert float(values["drs_log_bytes_total"]) >= logged, values.get("drs_log_bytes_total")
    assert float(values['drs_jobs{status="succeeded"}']) == 1
    log(f"/metrics: {values['drs_log_bytes_total']} log bytes counted across containers")
    slurm_job(stack, token, listing)


def slurm_job(stack: Stack, token: str, listing: Any) -> None:
    """A job through the demo Slurm cluster: sbatch over SSH, the files as its truth."""
    server = next(s for s in listing("servers/") if s["name"] == "demo-slurm")
    assert server["scheduler"] == "slurm", server
    credential = next(c for c in listing("credentials/") if c["server"] == server["id"])
    python3 = next(i for i in listing("interpreters/") if i["name"] == "python3")
    started = time.monotonic()
    status, job = http(
        "POST", f"{stack.base_url}/api/jobs/", token=token,
        body={"title": "docker-test slurm", "server": server["id"],
              "credential": credential["id"], "interpreter": python3["id"],
              "program": SLURM_PROGRAM, "resources": {"partition": "debug", "cpus_per_task": 2}},
    )  # fmt: skip
    assert status == 201, job
    seen: set[str] = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status, job = http("GET", f"{stack.base_url}/api/jobs/{job['id']}/", token=token)
        assert status == 200, job
        seen.add(job["status"])
        if job["status"] in ("succeeded", "failed", "cancelled", "timed_out", "lost"):
            break
        time.sleep(0.5)
    else:
        raise RuntimeError(f"the Slurm job did not end within 180 s: {job}")
    assert job["status"] == "succeeded" and job["exit_code"] == 0, job
    scheduler_job_id = job["scheduler_job_id"]
    assert scheduler_job_id.isdigit(), job
    expected = f"slurm job {scheduler_job_id}\ncpus 2 partition debug\n"
    for stream, want in (("stdout", expected), ("stderr", "to stderr\n")):
        status, text = http(
            "GET", f"{stack.base_url}/api/jobs/{job['id']}/log.txt?stream={stream}",
            token=token, raw=True,
        )  # fmt: skip
        assert status == 200 and text == want.encode(), (stream, status, text[:300])
    log(
        f"Slurm job {scheduler_job_id} succeeded (statuses seen {sorted(seen)}), "
        f"logs exact, {time.monotonic() - started:.1f} s from submit to the end"
    )


def main() -> int:
    if shutil.which("docker-compose") is None:
        print("docker-compose is missing: run tests/deploy/docker_setup.sh", file=sys.stderr)
        return 2
    # SIGTERM (CI's end, `kill`) tears the stack down like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.monotonic()
    build()
    stack = Stack()
    try:
        up = time.monotonic()
        stack.compose("up", "-d", "--no-build", capture=True)
        wait_healthy(stack)
        log(
            f"UP TO HEALTHY: {time.monotonic() - up:.1f} s (`docker-compose up` to /api/health/ 200)"
        )
        exercise(stack)
    except BaseException:
        log("FAILED; the stack's last log lines are in /tmp/drs-docker-test.log")
        raise
    finally:
        stack.down()
    log(f"PASSED in {time.monotonic() - started:.0f} s (build, up, job, restart, teardown)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
