"""`make check-client` catches a Python client that no longer matches the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.cli.conftest import CLIENT_DIR, ROOT


def test_check_client_fails_on_a_stale_python_client(tmp_path: Path) -> None:
    """Generate a client from a changed copy of the schema (a new job field) and point
    `make check-client` at it; the committed files are not touched."""
    schema = yaml.safe_load((ROOT / "schema" / "openapi.yaml").read_text())
    summary = schema["components"]["schemas"]["JobSummary"]
    summary["properties"]["priority"] = {"type": "integer", "readOnly": True}
    summary["required"].append("priority")
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(schema, sort_keys=False))
    generate = [sys.executable, str(CLIENT_DIR / "generate.py")]
    stale = tmp_path / "stale" / "drs_client"
    subprocess.run([*generate, "--schema", str(changed), "--package", str(stale)], check=True)
    assert "priority" in (stale / "models" / "job_summary.py").read_text()

    checked = subprocess.run(
        ["make", "--no-print-directory", "check-client", f"PY_CLIENT_DIR={stale}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode != 0
    assert f"{stale} is stale: run 'make client' and commit" in checked.stdout
    assert "committed/models/job_summary.py" in checked.stdout  # the diff names the file

    # The same check passes for a client generated from the schema as it is.
    fresh = tmp_path / "fresh" / "drs_client"
    subprocess.run([*generate, "--package", str(fresh)], check=True)
    ok = subprocess.run([*generate, "--check", "--package", str(fresh)], check=False)
    assert ok.returncode == 0
