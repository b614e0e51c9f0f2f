"""PLOT: what a user sees in the SPA, measured in Debian's Chromium (playwright-core from
the frontend's node_modules, never a downloaded browser) by `bench/browser.mjs`.

- A result file of N points (two-column `.dat`, ~20 bytes a row) opened in the job page's
  result viewer: from the click on "Preview" to the chart drawn (the server down-samples
  a file this large), then a drag-zoom on it until the canvas shows the zoom.
- A job's live metric chart holding ~100,000 points while a job appends 1,000 points/s:
  the page's frames per second (requestAnimationFrame callbacks) and how often the chart
  took new points, over a few seconds."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import wait_jobs
from bench.env import ADMIN_PASSWORD, ADMIN_USER, ROOT, BenchEnv, log

FRONTEND = ROOT / "frontend"
SCRIPT = Path(__file__).with_name("browser.mjs")
CHROMIUM = "/usr/bin/chromium"

# argv: path, rows. `x y` rows, y spanning decades (a log axis has something to show).
TABLE = """\
import math, sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("# q r\\n")
    f.writelines(f"{i / rows:.6f} {math.exp(-8 * i / rows) * (1.1 + math.sin(i / 50)):.6e}\\n"
                 for i in range(rows))
"""

# argv: go file, points at once, points/s after the go file, seconds. The burst is written
# before the page opens (the chart starts with it); the rest arrive while frames are counted.
METRICS = """\
import json, math, os, sys, time
go, burst, rate, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
with open(os.environ["DRS_METRICS"], "a") as f:
    for i in range(1, burst + 1):
        f.write(json.dumps({"step": i, "loss": math.exp(-i / 20000) + 0.01 * math.sin(i)}) + "\\n")
    f.flush()
    give_up = time.time() + 900
    while not os.path.exists(go) and time.time() < give_up:
        time.sleep(0.05)
    base = time.time()
    for j in range(1, int(rate * seconds) + 1):
        wait = base + j / rate - time.time()
        if wait > 0:
            time.sleep(wait)
        i = burst + j
        f.write(json.dumps({"step": i, "loss": math.exp(-i / 20000) + 0.01 * math.sin(i)}) + "\\n")
        f.flush()
"""


def ensure_spa() -> bool:
    """The served SPA is frontend/dist: build it when a source is newer (True if built)."""
    from tests.e2e.run import spa_is_stale

    if not spa_is_stale():
        return False
    log("building the SPA (npm run build)")
    subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True, capture_output=True)
    return True


def _stored_points(env: BenchEnv, job_id: str) -> int:
    with env.db() as conn:
        row = conn.execute(
            "SELECT count(*) FROM jobs_metricpoint WHERE job_id = %s", (job_id,)
        ).fetchone()
    return int(row[0]) if row else 0


def browser_plots(
    env: BenchEnv,
    *,
    table_rows: int = 1_000_000,
    live_points: int = 92_000,
    live_rate: int = 1000,
    live_seconds: float = 7.0,
) -> dict[str, Any]:
    if not Path(CHROMIUM).exists() or shutil.which("node") is None:
        raise RuntimeError(f"the browser step needs {CHROMIUM} and node")
    # A DRS started before the build serves the old asset names (whitenoise lists its
    # files at start-up): restart it on a new build.
    env.start_app(fresh=ensure_spa())
    assert env.api is not None
    name = "big.dat"
    table_job = env.submit(TABLE, [name, str(table_rows)], "plot table", result_patterns=[name])
    go = env.go_file()
    live_job = env.submit(
        METRICS,
        [str(go), str(live_points), str(live_rate), str(live_seconds)],
        "plot live",
        log_policy="none",
    )
    table_id, live_id = str(table_job["id"]), str(live_job["id"])
    status = wait_jobs(env, [table_id], 600)[table_id]["status"]
    if status != "succeeded":
        raise RuntimeError(f"the table job ended {status}")
    result = next(r for r in env.api.get(f"/api/jobs/{table_id}/results/") if r["path"] == name)
    deadline = time.monotonic() + 300
    while _stored_points(env, live_id) < live_points and time.monotonic() < deadline:
        time.sleep(0.5)
    log(f"PLOT: {table_rows:,}-row result ({result['size'] / 1e6:.1f} MB) and "
        f"{live_points:,} stored points ready; opening Chromium")  # fmt: skip
    args = {
        "base": f"http://127.0.0.1:{env.port}",
        "username": ADMIN_USER,
        "password": ADMIN_PASSWORD,
        "chromium": CHROMIUM,
        "tableJob": table_id,
        "tableFile": name,
        "liveJob": live_id,
        "livePoints": live_points,
        "goFile": str(go),
        "liveSeconds": live_seconds,
    }
    proc = subprocess.run(
        ["node", str(SCRIPT), json.dumps(args)],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"browser.mjs failed: {proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    # The server's share of the click: the down-sampling request alone (as the SPA asks it).
    server_ms = []
    for _ in range(3):
        t = time.perf_counter()
        env.api.get(f"/api/jobs/{table_id}/results/{result['id']}/table/", max_points=5000)
        server_ms.append((time.perf_counter() - t) * 1000)
    out["table"]["server_table_ms_median"] = round(sorted(server_ms)[1])
    wait_jobs(env, [live_id], live_seconds + 120)
    table, live = out["table"], out["live"]
    table["rows_in_file"] = table_rows
    table["file_mb"] = round(result["size"] / 1e6, 1)
    table["goal"] = "click to chart drawn plus a zoom answered <= 1 s"
    table["goal_met"] = table["click_to_drawn_ms"] + table["zoom_ms"] <= 1000
    live["points_stored"] = _stored_points(env, live_id)
    live["rate_points_per_s"] = live_rate
    live["goal"] = ">= 30 frames/s while points arrive"
    live["goal_met"] = live["fps"] >= 30 and live["chart_updates_per_s"] >= 10
    return {"table": table, "live": live}
