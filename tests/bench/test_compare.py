"""bench/compare.py on two small results files: the figures side by side, the ratio, and
which way each moved. (The smoke test runs it on a real `make bench --smoke` result.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.compare import compare

ROOT = Path(__file__).resolve().parents[2]


def _results(commit: str, ws_p50: float, p2_mb: float, *, floor: bool) -> dict[str, object]:
    bytes_row: dict[str, object] = {
        "drs_mb_per_s": p2_mb,
        "raw_asyncssh_mb_per_s": 800.0,
        "ratio": round(p2_mb / 800, 3),
        "drs": {"every_byte_persisted": True},
    }
    if floor:
        bytes_row |= {"floor_mb_per_s": 400.0, "ratio_to_floor": round(p2_mb / 400, 3)}
    else:  # what results written before the floor had a round of its own carried
        bytes_row["program_to_file"] = {"mb_per_s": 400.0}
    return {
        "profile": "full",
        "started": "2026-12-07T21:00:00Z",
        "machine": {"commit": commit, "cpu": "AMD EPYC 7B13", "cores": 2, "memory_gib": 23.5},
        "measures": {
            "P1": {
                "runs": [{"jobs": 1, "ws_ms": {"p50": ws_p50, "p95": 8.0, "p99": 9.0}}],
                "goal_met": ws_p50 <= 5,
            },
            "P2": {"bytes": bytes_row},
        },
    }


def _row(text: str, label: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_side_by_side_with_ratio_and_direction() -> None:
    base = _results("aaaa", ws_p50=8.0, p2_mb=200.0, floor=False)
    new = _results("bbbb+dirty", ws_p50=4.0, p2_mb=170.0, floor=True)
    text = compare(base, new)
    assert "BASE: commit aaaa" in text and "NEW: commit bbbb+dirty" in text
    assert "AMD EPYC 7B13" in text
    # lower is better for a latency; higher for a rate; a 10 % move is noise
    assert _row(text, "P1 1 jobs x 10 lines/s: websocket p50 (ms)")[1:] == [
        "8", "4", "0.50", "better"
    ]  # fmt: skip
    assert _row(text, "P2 bytes: DRS (MB/s)")[1:] == ["200", "170", "0.85", "worse"]
    assert _row(text, "P1 1 jobs x 10 lines/s: websocket p99 (ms)")[3:] == ["1.00", ""]
    # the floor of older results (`program_to_file`) lines up with the new key
    assert _row(text, "P2 bytes: file floor (MB/s)")[1:3] == ["400", "400"]
    assert _row(text, "P2 bytes: DRS / floor")[1:3] == ["0.5", "0.425"]
    assert _row(text, "P1 goal met")[1:3] == ["MISSED", "met"]


def test_figure_on_one_side_only() -> None:
    base = _results("aaaa", ws_p50=8.0, p2_mb=200.0, floor=True)
    new = _results("bbbb", ws_p50=8.0, p2_mb=200.0, floor=True)
    del new["measures"]["P2"]  # type: ignore[attr-defined]
    assert _row(compare(base, new), "P2 bytes: DRS (MB/s)")[1:] == ["200", "—", "", ""]


def test_command_line(tmp_path: Path) -> None:
    base, new = tmp_path / "base.json", tmp_path / "new.json"
    base.write_text(json.dumps(_results("aaaa", ws_p50=8.0, p2_mb=200.0, floor=False)))
    new.write_text(json.dumps(_results("bbbb", ws_p50=8.0, p2_mb=200.0, floor=True)))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compare.py"), str(base), str(new)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "| P2 bytes: DRS (MB/s) | 200 | 200 | 1.00 |  |" in done.stdout
    missing = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compare.py"), str(base), str(tmp_path / "no")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert missing.returncode == 2 and "compare:" in missing.stderr
