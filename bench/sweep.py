"""SWEEP: one user creates a sweep of N jobs while another submits single jobs; how long
the sweep's POST takes, how long until every sweep job has left `queued` for a runner
(none waits for a server slot: the sweep's server has room for all), and how much the
other user's submissions slowed down meanwhile (p99 during minus p99 before)."""

from __future__ import annotations

import threading
import time
from typing import Any

from bench.common import TERMINAL, dist, status_counts
from bench.env import BenchEnv, log

APP = {
    "name": "bench-sweep",
    "title": "Bench sweep",
    "program": "pass\n",
    "arguments": ["--i={i}"],
    "parameters": {
        "type": "object",
        "properties": {"i": {"type": "integer", "minimum": 0}},
        "required": ["i"],
    },
}


def sweep_creation(env: BenchEnv, *, jobs: int) -> dict[str, Any]:
    env.start_app()
    assert env.api is not None
    api = env.api
    app = api.post("/api/applications/", APP | {"interpreter": env.interpreter_id})
    probe_stop = threading.Event()
    probes: list[tuple[float, float]] = []  # (sent at, latency)

    def probe() -> None:
        # The other user: a small job every 50 ms, each POST timed.
        while not probe_stop.is_set():
            t = time.perf_counter()
            env.submit("pass\n", [], "probe")
            probes.append((t, time.perf_counter() - t))
            probe_stop.wait(0.05)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    time.sleep(3.0)  # the probe's baseline
    t0 = time.perf_counter()
    created = api.post(
        "/api/sweeps/",
        {
            "application": app["name"],
            "server": env.server_id,
            "credential": env.credential_id,
            "vary": {"i": list(range(jobs))},
        },
    )
    t_created = time.perf_counter()
    ids = [str(j) for j in created["jobs"]]
    deadline = time.monotonic() + 120
    while status_counts(env, ids).get("queued", 0) and time.monotonic() < deadline:
        time.sleep(0.02)
    t_dispatched = time.perf_counter()
    time.sleep(1.0)  # the probe a little past the burst
    probe_stop.set()
    thread.join(10)
    while time.monotonic() < deadline:
        if not sum(n for s, n in status_counts(env, ids).items() if s not in TERMINAL):
            break
        time.sleep(0.25)
    finished = status_counts(env, ids)
    log(f"SWEEP: {jobs} jobs created in {t_created - t0:.2f} s, statuses {finished}")

    before = [lat for sent, lat in probes if sent < t0]
    during = [lat for sent, lat in probes if t0 <= sent <= t_dispatched]
    before_d, during_d = dist(before), dist(during)
    return {
        "jobs": jobs,
        "create_s": round(t_created - t0, 3),
        "all_left_queued_s": round(t_dispatched - t0, 3),
        "final_statuses": finished,
        "other_user_submit_before_ms": before_d,
        "other_user_submit_during_ms": during_d,
        "other_user_p99_delay_ms": None
        if before_d["p99"] is None or during_d["p99"] is None
        else round(during_d["p99"] - before_d["p99"], 2),
    }
