"""P9: inputs. Upload a file through the API, then stage it into a job on the host; each
against its raw baseline in the same run:

- upload: `POST /api/files/` (multipart, streamed by httpx) vs the same bytes POSTed to a
  bare ASGI app under daphne that writes the body to a file; the web processes' peak RSS
  growth during the DRS upload (sampled every 20 ms);
- staging: the start delay of a job with the file as its input minus that of a job
  without inputs (same warm connection), vs asyncssh SFTP `put` of the same file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench import raw
from bench.common import epoch, wait_jobs
from bench.env import BenchEnv, free_port, log

CHUNK = 1 << 20

# The baseline server: reads the request body and writes it to a file, nothing else.
BARE_APP = """
import os
OUT = os.environ["P9_OUT"]

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    size = 0
    with open(OUT, "wb") as fh:
        while True:
            message = await receive()
            body = message.get("body", b"")
            fh.write(body)
            size += len(body)
            if not message.get("more_body"):
                break
    await send({"type": "http.response.start", "status": 201,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"size": %d}' % size})
"""


def _make_file(path: Path, megabytes: int) -> None:
    with path.open("wb") as fh:
        for _ in range(megabytes):
            fh.write(os.urandom(CHUNK))


def _post(url: str, path: Path, headers: dict[str, str]) -> tuple[float, httpx.Response]:
    with path.open("rb") as fh, httpx.Client(timeout=600) as client:
        t = time.perf_counter()
        response = client.post(url, files={"file": (path.name, fh)}, headers=headers)
        return time.perf_counter() - t, response


class PeakRss:
    """Peak summed RSS of some processes, sampled on a thread."""

    def __init__(self, procs: list[psutil.Process]) -> None:
        self.procs = procs
        self.peak = self.base = self._now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _now(self) -> int:
        total = 0
        for proc in self.procs:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._now())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _bare_upload(env: BenchEnv, path: Path) -> float:
    port = free_port()
    app_dir = env.dir / "p9app"
    app_dir.mkdir(exist_ok=True)
    (app_dir / "bare_upload.py").write_text(BARE_APP)
    out = env.dir / "p9-bare.out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "bare_upload:app"],
        cwd=app_dir,
        env=os.environ | {"P9_OUT": str(out)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(f"http://127.0.0.1:{port}/", content=b"x", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the bare ASGI app did not start") from None
                time.sleep(0.1)
        seconds, response = _post(f"http://127.0.0.1:{port}/", path, {})
        if response.status_code != 201:
            raise RuntimeError(f"bare upload: HTTP {response.status_code}")
        return seconds
    finally:
        proc.terminate()
        proc.wait(10)
        out.unlink(missing_ok=True)


def _start_delay(env: BenchEnv, job: dict[str, Any]) -> float:
    return epoch(job["started_at"]) - epoch(job["created_at"])


def _run_job(env: BenchEnv, **extra: Any) -> dict[str, Any]:
    job = env.submit("pass\n", title="p9", **extra)
    done = wait_jobs(env, [job["id"]], timeout=600)[job["id"]]
    if done["status"] != "succeeded":
        raise RuntimeError(f"p9 job {done['status']}: {done.get('error')}")
    return done


async def _sftp_put(env: BenchEnv, path: Path) -> float:
    async with await raw.connect(env) as conn, conn.start_sftp_client() as sftp:
        target = f"{env.jobs_directory}/p9-put.bin"
        await sftp.makedirs(env.jobs_directory, exist_ok=True)
        t = time.perf_counter()
        await sftp.put(str(path), target)
        seconds = time.perf_counter() - t
        await sftp.remove(target)
        return seconds


def p9_inputs(env: BenchEnv, *, megabytes: int) -> dict[str, Any]:
    env.start_app(workers=1)  # one runner stages; fewer processes start sooner
    assert env.api is not None
    path = env.dir / "p9-input.bin"
    _make_file(path, megabytes)
    size_mb = path.stat().st_size / 1e6
    headers = {"Authorization": f"Token {env.api.token}"}

    bare = _bare_upload(env, path)
    web = [p for p in env.app_processes() if "daphne" in " ".join(p.cmdline())]
    with PeakRss(web) as rss:
        seconds, response = _post(env.api.base + "/api/files/", path, headers)
    if response.status_code != 201:
        raise RuntimeError(f"upload: HTTP {response.status_code} {response.text[:300]}")
    file_id = response.json()["id"]
    log(f"P9 upload {size_mb / seconds:.0f} MB/s (bare ASGI {size_mb / bare:.0f} MB/s)")

    _run_job(env)  # a warm connection for both measured jobs
    plain = [_start_delay(env, _run_job(env)) for _ in range(3)]
    staged = _start_delay(env, _run_job(env, inputs=[{"file": file_id, "path": "in.bin"}]))
    stage_s = max(1e-6, staged - statistics.median(plain))
    put = asyncio.run(_sftp_put(env, path))
    log(f"P9 staging {size_mb / stage_s:.0f} MB/s (sftp put {size_mb / put:.0f} MB/s)")
    path.unlink(missing_ok=True)
    return {
        "megabytes": round(size_mb, 1),
        "upload_mb_s": round(size_mb / seconds, 1),
        "bare_asgi_upload_mb_s": round(size_mb / bare, 1),
        "upload_share_of_bare": round(bare / seconds, 2),
        "web_peak_rss_growth_mib": round((rss.peak - rss.base) / 2**20, 1),
        "staging_mb_s": round(size_mb / stage_s, 1),
        "sftp_put_mb_s": round(size_mb / put, 1),
        "staging_share_of_put": round(put / stage_s, 2),
        "start_delay_without_inputs_s": round(statistics.median(plain), 3),
        "start_delay_with_input_s": round(staged, 3),
        "goals": "upload and staging >= 0.70 of their baselines; RSS growth < 64 MiB",
    }
