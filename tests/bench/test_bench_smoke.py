"""The benchmark harness with tiny sizes, so it cannot rot: every measure must produce
numbers. No timing is asserted here (benchmarks are `make bench`, never test verdicts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _numbers(value: object) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


@pytest.mark.skipif(os.geteuid() != 0, reason="the bench sshd needs root (test users)")
@pytest.mark.skipif(not Path("/usr/sbin/sshd").exists(), reason="openssh-server missing")
def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRS_", "DJANGO_"))}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # every measure starts DRS (and PostgreSQL): minutes on a busy 2-core machine
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    results = json.loads(out.read_text())
    mach = results["machine"]
    assert mach["cores"] >= 1 and mach["cpu"] and mach["python"]
    assert len(mach["commit"].removesuffix("+dirty")) == 40, mach
    assert mach["commit"] in proc.stdout and mach["cpu"] in proc.stdout
    measures = results["measures"]
    assert sorted(measures) == sorted(
        ["IDLE", "P1", "P2", "P3", "P4", "P6", "P8", "P9", "P10", "NOTIFY", "SWEEP", "PLOT"]
    )
    for name, data in measures.items():
        assert "error" not in data, (name, data)

    for run in measures["P1"]["runs"]:
        assert run["lines_persisted"] == run["lines_expected"] > 0
        assert run["ws_ms"]["p99"] is not None, run["ws_error_sample"]
        assert run["persisted_ms"]["p99"] is not None
        # the baseline: the same tickers over plain asyncssh channels
        assert run["raw_lines"] == run["lines_expected"], run
        assert run["ratio_p99"] is not None and run["ratio_p99"] > 0
    for kind in ("bytes", "lines"):
        p2 = measures["P2"][kind]
        assert p2["drs"]["every_byte_persisted"], p2["drs"]
        assert p2["ratio"] is not None and p2["ratio"] > 0
        # The CPU budget: the machine was busy at least as long as DRS's own processes.
        assert p2["drs"]["cpu_s"]["machine"] >= p2["drs"]["cpu_s"]["drs"] > 0, p2["drs"]
        assert p2["raw_cpu_s"]["machine"] > 0
        # the floor: the same program writing to a file, in every round
        assert p2["floor_cpu_s"]["machine"] > 0
        assert all(r is not None and r > 0 for r in p2["round_ratios_to_floor"]), p2
    assert measures["P2"]["bytes"]["floor_mb_per_s"] > 0
    assert measures["P2"]["lines"]["floor_lines_per_s"] > 0
    assert measures["P2"]["bytes"]["program_to_file"]["mb_per_s"] > 0
    assert "| P2 floor, " in proc.stdout
    for kind in ("cold", "warm"):  # 2 rounds of 4 jobs on 1+ runners: both kinds occur
        assert measures["P3"][kind]["submit_to_start_ms"]["p50"] > 0, measures["P3"]
    assert measures["P3"]["raw_asyncssh_connect_exec_ms"]["p50"] > 0
    assert measures["P3"]["raw_ssh_cli_true_ms"]["p50"] > 0
    curve = measures["P4"]["curve"]
    assert curve and curve[0]["memory"]["pss_mib"] > 0
    assert curve[0]["persisted_ms"]["p50"] is not None
    assert curve[0]["db_connections"] > 0
    # the smoke profile runs its second level with the bash ticker (`--p4-shell-above`)
    assert [r["program"] for r in curve] == ["python3", "bash"], curve
    for r in curve:
        assert r["lines_ws"] == r["lines_persisted"] == r["lines_expected"] > 0, r
        assert r["statuses"] == {"succeeded": r["jobs"]}, r
        assert r["host"]["user_processes"] > 0 and r["host"]["sshd_processes"] > 0, r
    idle = measures["IDLE"]
    assert idle["with_jobs"]["runners_cores"] >= 0 and idle["with_jobs"]["window_s"] > 0
    assert idle["statuses_after_cancel"] == {"cancelled": idle["jobs"]}, idle
    for key in ("jobs_list_ms", "logs_default_limit_ms"):
        assert measures["P6"][key]["p99"] > 0
    p8 = measures["P8"]
    assert p8["start"]["drs_submit_to_start_ms"]["p50"] > 0, p8
    assert p8["start"]["raw_sbatch_to_start_ms"]["p50"] > 0, p8
    assert p8["start"]["scheduler_job_ids_set"], p8
    assert p8["start"]["running_visible_ms"]["n"] >= 1, p8
    assert p8["polling"]["squeue_calls"] >= 1 and p8["polling"]["connections"] >= 1, p8
    assert p8["polling"]["statuses_after_cancel"] == {"cancelled": p8["polling"]["pending_jobs"]}
    plot = measures["PLOT"]
    assert plot["table"]["points_drawn"] > 0 and plot["table"]["click_to_drawn_ms"] > 0
    assert plot["live"]["fps"] > 0 and plot["live"]["points_added"] > 0, plot["live"]
    assert all(n == n for n in _numbers(measures))  # no NaN anywhere
    assert "| P6" in proc.stdout  # the table was printed

    # bench/compare.py on this result against itself: every figure, ratio 1
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compare.py"), str(out), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"BASE: commit {mach['commit']}" in done.stdout and mach["cpu"] in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| P")]
    assert any(line.startswith("| P4 3 jobs x 1 line/s: websocket p99") for line in rows)
    ratios = [line.split("|")[4].strip() for line in rows]
    assert "1.00" in ratios and not {"better", "worse"} & {
        line.split("|")[5].strip() for line in rows
    }
