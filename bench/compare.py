"""Two `make bench` results side by side: each headline figure of BASE and NEW, the ratio
NEW / BASE, and which way it moved, with the commit and CPU each was measured on.

    .venv/bin/python bench/compare.py BASE.json NEW.json > comparison.md

A figure missing from one side (a measure not run, a level not reached, a figure older
results did not record) shows as "—". Only changes of COMPARE_NOISE or more are called
better or worse: runs on a shared VM move by that much with nothing changed; the
ratio-to-baseline figures (DRS against raw SSH in the same run) are the steadier ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

COMPARE_NOISE = 0.10
LOWER, HIGHER, INFO = "lower", "higher", ""  # which way is better


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


Figure = tuple[str, Any, str]  # (label, value, which way is better)


def _dist(prefix: str, d: Any, keys: tuple[str, ...], better: str = LOWER) -> Iterator[Figure]:
    for k in keys:
        yield f"{prefix} {k} (ms)", _get(d, k), better


def figures(results: dict[str, Any]) -> Iterator[Figure]:
    """The headline figures of one results file, in table order."""
    m = results.get("measures", {})
    for name in sorted(m):
        if "error" in m[name]:
            yield f"{name} error", str(m[name]["error"]).splitlines()[0][:80], INFO
    for name, data in m.items():
        if "goal_met" in data:
            yield f"{name} goal met", data["goal_met"], INFO

    for r in _get(m, "P1.runs") or []:
        label = f"P1 {r['jobs']} jobs x 10 lines/s"
        yield from _dist(f"{label}: websocket", r.get("ws_ms"), ("p50", "p95", "p99"))
        yield from _dist(f"{label}: persisted", r.get("persisted_ms"), ("p50", "p99"))
        yield from _dist(f"{label}: raw asyncssh", r.get("raw_asyncssh_ms"), ("p50", "p99"), INFO)
        yield f"{label}: websocket / raw p99", r.get("ratio_p99"), LOWER
        yield f"{label}: DRS CPU (cores)", r.get("drs_cpu_cores"), LOWER

    for kind, unit, label in (("bytes", "mb_per_s", "MB/s"), ("lines", "lines_per_s", "lines/s")):
        row = _get(m, f"P2.{kind}")
        if not row:
            continue
        yield f"P2 {kind}: DRS ({label})", row.get(f"drs_{unit}"), HIGHER
        yield f"P2 {kind}: raw asyncssh ({label})", row.get(f"raw_asyncssh_{unit}"), INFO
        floor = row.get(f"floor_{unit}") or _get(row, "program_to_file.mb_per_s")
        if unit == "mb_per_s" or floor is not None:
            yield f"P2 {kind}: file floor ({label})", floor, INFO
        yield f"P2 {kind}: DRS / raw", row.get("ratio"), HIGHER
        to_floor = row.get("ratio_to_floor")
        if to_floor is None and floor and row.get(f"drs_{unit}"):
            to_floor = round(row[f"drs_{unit}"] / floor, 3)
        yield f"P2 {kind}: DRS / floor", to_floor, HIGHER

    p3 = m.get("P3", {})
    if "cold" in p3:
        yield "P3 cold submit to start p50 (ms)", _get(p3, "cold.submit_to_start_ms.p50"), LOWER
        yield "P3 warm submit to start p50 (ms)", _get(p3, "warm.submit_to_start_ms.p50"), LOWER
        yield (
            "P3 raw asyncssh connect+exec p50 (ms)",
            _get(p3, "raw_asyncssh_connect_exec_ms.p50"),
            INFO,
        )
        yield (
            "P3 raw exec on an open connection p50 (ms)",
            _get(p3, "raw_exec_on_open_connection_ms.p50"),
            INFO,
        )
        yield "P3 cold / raw connect+exec", p3.get("ratio_vs_asyncssh"), LOWER
        yield "P3 warm / raw exec on open", p3.get("warm_ratio_vs_exec_on_open"), LOWER

    p4 = m.get("P4", {})
    for r in p4.get("curve") or []:
        label = f"P4 {r['jobs']} jobs x 1 line/s"
        yield from _dist(f"{label}: websocket", r.get("ws_ms"), ("p50", "p99"))
        yield from _dist(f"{label}: persisted", r.get("persisted_ms"), ("p99",))
        yield f"{label}: PSS (MiB)", _get(r, "memory.pss_mib"), LOWER
        yield f"{label}: DB sessions", r.get("db_connections"), LOWER
        yield f"{label}: all running after (s)", r.get("all_running_after_s"), LOWER
        yield (
            f"{label}: runners CPU ms per job-second",
            r.get("runners_cpu_ms_per_job_second"),
            LOWER,
        )
    if "curve" in p4:
        yield "P4 largest level within every bound (jobs)", p4.get("max_jobs_ok"), HIGHER
        yield "P4 where it stops", p4.get("stopped"), INFO

    idle = m.get("IDLE", {})
    if "with_jobs" in idle:
        yield f"IDLE {idle['jobs']} quiet jobs (cores)", _get(idle, "with_jobs.total_cores"), LOWER
        yield "IDLE no job (cores)", _get(idle, "no_jobs.total_cores"), LOWER

    p6 = m.get("P6", {})
    for key in (
        "jobs_list_ms", "jobs_list_deep_page_ms", "jobs_list_status_filter_ms",
        "logs_default_limit_ms", "logs_limit_100_ms", "logs_tail_ms", "logs_before_ms",
        "logs_search_ms",
    ):  # fmt: skip
        if key in p6:
            label = "P6 " + key.removesuffix("_ms").replace("_", " ")
            yield from _dist(label, p6[key], ("p50", "p99"))
            yield f"{label} daphne CPU (ms)", p6[key].get("daphne_cpu_ms"), LOWER

    st, po = _get(m, "P8.start"), _get(m, "P8.polling")
    if st:
        yield "P8 submit to start mean (ms)", _get(st, "drs_submit_to_start_ms.mean"), LOWER
        yield "P8 raw sbatch to start mean (ms)", _get(st, "raw_sbatch_to_start_ms.mean"), INFO
        yield "P8 DRS / raw (mean)", st.get("ratio_mean"), LOWER
        yield "P8 running visible p99 (ms)", _get(st, "running_visible_ms.p99"), LOWER
    if po:
        yield "P8 squeue per connection per 5 s", po.get("squeue_per_connection_per_5s"), LOWER

    p9 = m.get("P9", {})
    for key, better in (
        ("upload_mb_s", HIGHER), ("bare_asgi_upload_mb_s", INFO), ("upload_share_of_bare", HIGHER),
        ("web_peak_rss_growth_mib", LOWER), ("staging_mb_s", HIGHER), ("sftp_put_mb_s", INFO),
        ("staging_share_of_put", HIGHER),
    ):  # fmt: skip
        if key in p9:
            yield f"P9 {key.replace('_', ' ')}", p9[key], better

    p10 = m.get("P10", {})
    if "ws_ms" in p10:
        yield from _dist("P10 metrics websocket", p10["ws_ms"], ("p50", "p99"))
        yield "P10 points stored", p10.get("points_stored"), HIGHER

    n = m.get("NOTIFY", {})
    for side in ("baseline", "with_hung_deliveries"):
        if side in n:
            what = "without webhooks" if side == "baseline" else "with hung deliveries"
            yield from _dist(f"NOTIFY P1 websocket {what}", n[side].get("p1_ws_ms"), ("p99",))
            for kind in ("cold", "warm"):
                yield from _dist(
                    f"NOTIFY P3 {kind} {what}", n[side].get(f"p3_{kind}_submit_to_start_ms"),
                    ("p50",),
                )  # fmt: skip

    sw = m.get("SWEEP", {})
    if "create_s" in sw:
        yield f"SWEEP {sw['jobs']} jobs: POST (s)", sw["create_s"], LOWER
        yield "SWEEP all left queued (s)", sw.get("all_left_queued_s"), LOWER
        yield "SWEEP other user's p99 delay (ms)", sw.get("other_user_p99_delay_ms"), LOWER

    table, live = _get(m, "PLOT.table"), _get(m, "PLOT.live")
    if table:
        yield "PLOT click to chart drawn (ms)", table.get("click_to_drawn_ms"), LOWER
        yield "PLOT zoom (ms)", table.get("zoom_ms"), LOWER
    if live:
        yield "PLOT live frames/s", live.get("fps"), HIGHER
        yield "PLOT live worst frame (ms)", live.get("worst_frame_ms"), LOWER

    for name, data in m.items():
        yield f"{name} machine busy during the measure", data.get("machine_busy_fraction"), INFO
    yield "whole run (s)", results.get("elapsed_s"), INFO


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "met" if value else "MISSED"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|")


def _verdict(base: Any, new: Any, better: str) -> tuple[str, str]:
    """(NEW / BASE, "better"/"worse"/"") for two numbers."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (base, new))
    if not numbers or not base:
        return "", ""
    ratio = new / base
    moved = ""
    if better and abs(ratio - 1) >= COMPARE_NOISE - 1e-9:
        moved = "better" if (ratio < 1) == (better == LOWER) else "worse"
    return f"{ratio:.2f}", moved


def _machine(results: dict[str, Any]) -> str:
    mach = results.get("machine", {})
    load = mach.get("load_avg_at_start")
    return (
        f"commit {mach.get('commit', '?')}, {results.get('profile', '?')} run "
        f"{results.get('started', '?')}: {mach.get('cores', '?')} cores "
        f"({mach.get('cpu') or 'CPU not recorded'}), {mach.get('memory_gib', '?')} GiB, "
        f"Python {mach.get('python', '?')}, load at start {load}"
    )


def compare(base: dict[str, Any], new: dict[str, Any]) -> str:
    old = {label: (value, better) for label, value, better in figures(base)}
    now = {label: (value, better) for label, value, better in figures(new)}
    labels = list(old) + [label for label in now if label not in old]
    lines = [
        f"- BASE: {_machine(base)}",
        f"- NEW: {_machine(new)}",
        "",
        "| Figure | BASE | NEW | NEW / BASE | |",
        "|---|---|---|---|---|",
    ]
    for label in labels:
        b, better = old.get(label, (None, ""))
        n, better_new = now.get(label, (None, ""))
        ratio, moved = _verdict(b, n, better or better_new)
        lines.append(f"| {label} | {_cell(b)} | {_cell(n)} | {ratio} | {moved} |")
    lines += [
        "",
        f"Better / worse: moved {COMPARE_NOISE:.0%} or more the good / bad way (lower is "
        "better for times, CPU and memory; higher for rates and DRS-to-baseline shares).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="results.json of the baseline (say, the parent)")
    parser.add_argument("new", type=Path, help="results.json to compare with it")
    args = parser.parse_args(argv)
    try:
        base, new = (json.loads(p.read_text()) for p in (args.base, args.new))
    except (OSError, ValueError) as exc:
        print(f"compare: {exc}", file=sys.stderr)
        return 2
    print(compare(base, new))
    return 0


if __name__ == "__main__":
    sys.exit(main())
