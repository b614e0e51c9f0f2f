"""P10: one job writing metric points (its DRS_METRICS file) at a fixed rate, followed on
the log websocket: each point's latency from the line being written to its `metric`
message, and every point stored."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from bench.common import dist, wait_jobs
from bench.env import BenchEnv, log

# argv: go file, duration (s), rate (points/s). Waits for the go file (the websocket is
# connected by then), then appends `{"step", "t", "progress"}` lines on schedule, each
# flushed: `t` is when it was written, on the bench's clock (same machine).
WRITER = """\
import json, os, sys, time
go, duration, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
give_up = time.time() + 600
while not os.path.exists(go) and time.time() < give_up:
    time.sleep(0.05)
total = int(duration * rate)
base = time.time()
with open(os.environ["DRS_METRICS"], "a") as f:
    for i in range(1, total + 1):
        wait = base + i / rate - time.time()
        if wait > 0:
            time.sleep(wait)
        f.write(json.dumps({"step": i, "t": time.time(), "progress": i / total}) + "\\n")
        f.flush()
"""

NO_LOG = "999999999999999999"


async def _follow(env: BenchEnv, job_id: str, expected: int, seconds: float) -> dict[str, Any]:
    import websockets

    assert env.api is not None
    url = f"{env.ws_base}/ws/jobs/{job_id}/logs/?after={NO_LOG}&metrics_after=0"
    latencies: list[float] = []
    last, errors = 0, 0
    connected = asyncio.Event()
    result: dict[str, Any] = {}

    async def run() -> None:
        nonlocal last, errors
        async with websockets.connect(
            url, additional_headers={"Authorization": f"Token {env.api.token}"}, max_size=None
        ) as ws:
            connected.set()
            async for raw in ws:
                now = time.time()
                msg = json.loads(raw)
                if msg.get("type") == "metric":
                    if msg["n"] != last + 1:
                        errors += 1
                    last = msg["n"]
                    latencies.append(now - msg["values"]["t"])  # seconds: dist() gives ms
                elif msg.get("type") == "end":
                    result["end"] = msg
                    return

    task = asyncio.create_task(run())
    await asyncio.wait_for(connected.wait(), 30)
    result["task"] = task
    result["latencies"] = latencies
    result["errors"] = lambda: errors
    result["last"] = lambda: last
    return result


def p10_metrics(env: BenchEnv, *, rate: int = 1000, duration: float = 30.0) -> dict[str, Any]:
    return asyncio.run(_p10(env, rate=rate, duration=duration))


async def _p10(env: BenchEnv, *, rate: int, duration: float) -> dict[str, Any]:
    env.start_app()
    assert env.api is not None
    go = env.go_file()
    expected = int(rate * duration)
    job = await asyncio.to_thread(
        env.submit, WRITER, [str(go), str(duration), str(rate)], "metrics", log_policy="none"
    )
    job_id = str(job["id"])
    for _ in range(600):
        detail = await asyncio.to_thread(env.api.get, f"/api/jobs/{job_id}/")
        if detail["status"] == "running":
            break
        await asyncio.sleep(0.1)
    follow = await _follow(env, job_id, expected, duration + 120)
    go.write_text("go")
    log(f"P10: {rate} points/s for {duration:g} s")
    details = await asyncio.to_thread(wait_jobs, env, [job_id], duration + 180)
    try:
        await asyncio.wait_for(follow["task"], 60)
    except TimeoutError:
        follow["task"].cancel()
    with env.db() as conn:
        stored, first, last = conn.execute(
            "SELECT count(*), min(n), max(n) FROM jobs_metricpoint WHERE job_id = %s", (job_id,)
        ).fetchone()
        invalid, progress = conn.execute(
            "SELECT metrics_invalid, progress FROM jobs_job WHERE id = %s", (job_id,)
        ).fetchone()
    ws = dist(follow["latencies"])
    all_stored = int(stored) == expected and first == 1 and last == expected
    return {
        "rate_points_per_s": rate,
        "duration_s": duration,
        "points_expected": expected,
        "points_stored": int(stored),
        "points_ws": len(follow["latencies"]),
        "ws_order_errors": follow["errors"](),
        "ws_ms": ws,
        "invalid": int(invalid),
        "progress": progress,
        "status": details[job_id]["status"],
        "goal": "websocket p99 <= 100 ms and every point stored",
        "goal_met": all_stored
        and ws["p99"] is not None
        and ws["p99"] <= 100
        and len(follow["latencies"]) == expected
        and follow["errors"]() == 0,
    }
