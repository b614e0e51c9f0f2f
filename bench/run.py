"""`make bench`: DRS against raw SSH, side by side, on this machine.

    .venv/bin/python bench/run.py            # full run (~15 min, plus 10+ for P4 at 5,000 jobs)
    .venv/bin/python bench/run.py --quick    # about a minute or two
    .venv/bin/python bench/run.py --only P4 --p4-levels 5000   # bash tickers above 1,000
    .venv/bin/python bench/run.py --only P1,P6 --p1-levels 1,10 --p6-jobs 20000

Starts its own sshd, a fresh PostgreSQL database, a Redis key prefix and `manage.py serve`
(daphne, runner processes, scheduler), runs the measures, prints a table and writes
bench/results.json. Everything it started is stopped and removed at the end, on failure and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for path in (str(ROOT), str(ROOT / "backend")):
    if path not in sys.path:
        sys.path.insert(0, path)

from bench import browser, measures, p8, p9, sweep, webhooks  # noqa: E402
from bench.common import machine_busy  # noqa: E402
from bench.env import BenchEnv, log  # noqa: E402
from bench.metrics_measure import p10_metrics  # noqa: E402
from bench.report import table  # noqa: E402

PROFILES: dict[str, dict[str, Any]] = {
    "smoke": {
        "p1_levels": [1, 2], "p1_duration": 2.0,
        "p2_mb": 1, "p2_lines": 20_000,
        "p3_samples": 2,
        "p4_levels": [2, 3], "p4_duration": 3.0, "p4_shell_above": 2,
        "idle_jobs": 3, "idle_window": 1.5,
        "p6_jobs": 2_000, "p6_chunks": 10_000, "p6_requests": 10,
        "p8_samples": 2, "p8_pending": 5, "p8_window": 6.0,
        "p9_mb": 5,
        "p10_rate": 200, "p10_duration": 3.0,
        "sweep_jobs": 20,
        "plot_rows": 20_000, "plot_live_points": 2_000, "plot_live_seconds": 3.0,
    },
    "quick": {
        "p1_levels": [1, 10], "p1_duration": 4.0,
        "p2_mb": 20, "p2_lines": 200_000,
        "p3_samples": 5,
        "p4_levels": [10, 50], "p4_duration": 5.0, "p4_shell_above": 1000,
        "idle_jobs": 100, "idle_window": 8.0,
        "p6_jobs": 20_000, "p6_chunks": 100_000, "p6_requests": 30,
        "p8_samples": 10, "p8_pending": 50, "p8_window": 20.0,
        "p9_mb": 50,
        "p10_rate": 1000, "p10_duration": 5.0,
        "sweep_jobs": 1000,
        "plot_rows": 1_000_000, "plot_live_points": 92_000, "plot_live_seconds": 7.0,
    },
    "full": {
        "p1_levels": [1, 10, 100], "p1_duration": 15.0,
        "p2_mb": 200, "p2_lines": 2_000_000,
        "p3_samples": 20,
        "p4_levels": [25, 100, 250, 500, 1000, 5000], "p4_duration": 20.0,
        "p4_shell_above": 1000,
        "idle_jobs": 100, "idle_window": 20.0,
        "p6_jobs": 100_000, "p6_chunks": 1_000_000, "p6_requests": 200,
        "p8_samples": 40, "p8_pending": 200, "p8_window": 60.0,
        "p9_mb": 200,
        "p10_rate": 1000, "p10_duration": 30.0,
        "sweep_jobs": 1000,
        "plot_rows": 1_000_000, "plot_live_points": 92_000, "plot_live_seconds": 7.0,
    },
}  # fmt: skip
ALL = ["P1", "P2", "P3", "P4", "IDLE", "P6", "P8", "P9", "P10", "NOTIFY", "SWEEP", "PLOT"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_const", dest="profile", const="quick")
    mode.add_argument("--smoke", action="store_const", dest="profile", const="smoke")
    parser.set_defaults(profile="full")
    parser.add_argument("--only", default=",".join(ALL), help="e.g. P1,IDLE")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--memory-limit-gib", type=float, default=8.0, help="P4 guard")
    parser.add_argument(
        "--shared-postgres",
        action="store_true",
        help="a database on BENCH_PG_URL's server instead of a private cluster (its "
        "max_connections then caps the concurrency measures)",
    )

    def ints(text: str) -> list[int]:
        return [int(x) for x in text.split(",") if x]

    for name, kind in [
        ("p1_levels", ints), ("p1_duration", float), ("p2_mb", int), ("p2_lines", int),
        ("p3_samples", int), ("p4_levels", ints), ("p4_duration", float), ("p4_shell_above", int),
        ("idle_jobs", int),
        ("idle_window", float), ("p6_jobs", int),
        ("p6_chunks", int), ("p6_requests", int), ("p8_samples", int), ("p8_pending", int),
        ("p8_window", float), ("p9_mb", int), ("p10_rate", int),
        ("p10_duration", float), ("sweep_jobs", int), ("plot_rows", int),
        ("plot_live_points", int), ("plot_live_seconds", float),
    ]:  # fmt: skip
        parser.add_argument("--" + name.replace("_", "-"), type=kind, default=None)
    args = parser.parse_args(argv)
    for key, value in PROFILES[args.profile].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.only = [m.strip().upper() for m in args.only.split(",") if m.strip()]
    unknown = set(args.only) - set(ALL)
    if unknown:
        parser.error(f"unknown measures {sorted(unknown)}; choose from {ALL}")
    return args


def git_commit() -> str:
    """HEAD's full hash, with "+dirty" when tracked files differ from it (what was measured
    is then not exactly that commit)."""

    def git(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True)

    commit = git("rev-parse", "HEAD").stdout.strip()
    if not commit:
        return "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    return commit + ("+dirty" if dirty else "")


def machine() -> dict[str, Any]:
    import psutil

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": model or platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": git_commit(),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "profile": args.profile,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "sizes": {k: getattr(args, k) for k in PROFILES["full"]},
        "postgres": "shared server" if args.shared_postgres else "private cluster",
        "measures": {},
    }
    env = BenchEnv(private_postgres=not args.shared_postgres)
    t_all = time.perf_counter()
    try:
        env.start()
        results["limits"] = env.limits
        steps = {
            "P1": lambda: measures.p1_latency(
                env, levels=args.p1_levels, duration=args.p1_duration
            ),
            "P2": lambda: measures.p2_throughput(env, megabytes=args.p2_mb, lines=args.p2_lines),
            "P3": lambda: measures.p3_submit(env, samples=args.p3_samples),
            "P4": lambda: measures.p4_concurrency(
                env,
                levels=args.p4_levels,
                duration=args.p4_duration,
                memory_limit_gib=args.memory_limit_gib,
                shell_above=args.p4_shell_above,
            ),
            "IDLE": lambda: measures.idle_cost(env, jobs=args.idle_jobs, window=args.idle_window),
            "P6": lambda: measures.p6_api(
                env, jobs=args.p6_jobs, chunks=args.p6_chunks, requests_=args.p6_requests
            ),
            "P8": lambda: p8.p8_slurm(
                env, samples=args.p8_samples, pending_jobs=args.p8_pending, window=args.p8_window
            ),
            "P9": lambda: p9.p9_inputs(env, megabytes=args.p9_mb),
            "P10": lambda: p10_metrics(env, rate=args.p10_rate, duration=args.p10_duration),
            "NOTIFY": lambda: webhooks.notify_isolation(
                env, duration=args.p1_duration, samples=args.p3_samples
            ),
            "SWEEP": lambda: sweep.sweep_creation(env, jobs=args.sweep_jobs),
            "PLOT": lambda: browser.browser_plots(
                env,
                table_rows=args.plot_rows,
                live_points=args.plot_live_points,
                live_seconds=args.plot_live_seconds,
            ),
        }
        for name in ALL:
            if name not in args.only:
                continue
            log(f"--- {name}")
            t = time.perf_counter()
            busy0 = machine_busy()
            try:
                results["measures"][name] = steps[name]()
            except Exception as exc:  # one failed measure must not hide the others
                traceback.print_exc()
                results["measures"][name] = {"error": f"{type(exc).__name__}: {exc}"}
            busy1 = machine_busy()
            results["measures"][name]["elapsed_s"] = round(time.perf_counter() - t, 1)
            # The whole machine's CPU use meanwhile (ours and everyone else's) and load.
            results["measures"][name]["machine_busy_fraction"] = round(
                (busy1[0] - busy0[0]) / max(1e-9, busy1[1] - busy0[1]), 2
            )
            results["measures"][name]["load_avg_1m_after"] = round(os.getloadavg()[0], 1)
    finally:
        log("cleaning up")
        env.close()
    results["elapsed_s"] = round(time.perf_counter() - t_all, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        results = run(args)
    except KeyboardInterrupt:
        log("interrupted; everything was stopped and removed")
        return 130
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    log(f"wrote {args.json} ({results['elapsed_s']} s)")
    failed = [n for n, m in results["measures"].items() if "error" in m]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
