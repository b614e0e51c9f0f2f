"""NOTIFY: a webhook receiver that never answers must not slow job processing.

P1 (1 job's log latency) and P3 (submit → start, cold and warm) are measured side by side:
first with no webhooks, then while 100 deliveries to a receiver that accepts connections
and never answers are in flight (10 webhooks x 10 deliveries, each attempt held for the
10 s timeout and retried), every bench job's start and end adding 10 more."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from bench.env import BenchEnv, log


class Blackhole:
    """Accepts TCP connections and never reads or answers (a hung receiver)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.held: list[socket.socket] = []
        self.stopped = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            self.held.append(conn)

    def close(self) -> None:
        self.stopped = True
        self.sock.close()
        for conn in self.held:
            conn.close()


def _figures(p1: dict[str, Any], p3: dict[str, Any]) -> dict[str, Any]:
    run = next((r for r in p1.get("runs", []) if r["jobs"] == 1), {})
    return {
        "p1_ws_ms": run.get("ws_ms"),
        "p3_cold_submit_to_start_ms": p3.get("cold", {}).get("submit_to_start_ms"),
        "p3_warm_submit_to_start_ms": p3.get("warm", {}).get("submit_to_start_ms"),
    }


def notify_isolation(
    env: BenchEnv, *, duration: float, samples: int, deliveries: int = 100
) -> dict[str, Any]:
    from bench import measures

    env.start_app()
    assert env.api is not None
    baseline = _figures(
        measures.p1_latency(env, levels=[1], duration=duration, baseline=False),
        measures.p3_submit(env, samples=samples),
    )
    hole = Blackhole()
    try:
        webhooks = [
            env.api.post(
                "/api/webhooks/",
                {
                    "url": f"http://127.0.0.1:{hole.port}/hook/{i}",
                    "events": ["job.started", "job.finished"],
                },
            )["id"]
            for i in range(10)
        ]
        for n in range(deliveries):
            env.api.post(f"/api/webhooks/{webhooks[n % len(webhooks)]}/test/", {})
        deadline = time.monotonic() + 30
        while hole.accepted < deliveries and time.monotonic() < deadline:
            time.sleep(0.2)
        log(f"NOTIFY: {hole.accepted} connections held by the silent receiver; measuring")
        loaded = _figures(
            measures.p1_latency(env, levels=[1], duration=duration, baseline=False),
            measures.p3_submit(env, samples=samples),
        )
        held_during = hole.accepted
    finally:
        hole.close()
    log(f"NOTIFY: baseline {baseline}; with {deliveries} hung deliveries {loaded}")
    return {
        "deliveries": deliveries,
        "connections_to_silent_receiver": held_during,
        "baseline": baseline,
        "with_hung_deliveries": loaded,
        "goal": "P1 and P3 within noise while 100 deliveries time out",
    }
