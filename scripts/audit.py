#!/usr/bin/env python3
"""`make audit` (part of `make lint`): bandit over backend/, pip-audit over
requirements.lock, npm audit over frontend/.

bandit runs offline and fails on any medium or high finding (the low ones are
asserts for type narrowing, `subprocess` for the processes DRS starts itself, and
`random` for retry jitter). The two vulnerability audits need their advisory databases:
the PyPI JSON API (or OSV) and the npm registry's bulk advisory endpoint. Where a
database cannot be reached (some build machines only reach the package indexes), the
audit says so and is skipped; a reachable database with a known vulnerability fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"


def run(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def bandit() -> bool:
    done = run(
        [str(VENV / "bandit"), "-q", "-r", "backend/drs", "backend/drs_site", "-x", "*/migrations/*",
         "--severity-level", "medium", "--confidence-level", "medium"]
    )  # fmt: skip
    if done.returncode != 0:
        print(done.stdout + done.stderr)
        print("bandit: FAILED (medium/high findings above)")
        return False
    print("bandit: no medium or high findings in backend/drs and backend/drs_site")
    return True


def pip_audit() -> bool:
    done = run(
        [str(VENV / "pip-audit"), "-r", "requirements.lock", "--no-deps", "--disable-pip",
         "--progress-spinner", "off", "--format", "json"]
    )  # fmt: skip
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(done.stdout[-2000:] + done.stderr[-2000:])
        print("pip-audit: advisory database unreachable from this machine; skipped")
        return True
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        # Every package "not found": the PyPI JSON API that carries advisories is not
        # served to this machine (the simple index is), so nothing could be checked.
        print(f"pip-audit: advisory database unreachable from this machine ({len(deps)} "
              "packages could not be looked up); skipped")  # fmt: skip
        return True
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep['version']}: {ids}")
    print(f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} vulnerable")
    return not vulnerable


def npm_audit() -> bool:
    done = run(["npm", "audit", "--audit-level=high", "--json"], cwd=ROOT / "frontend")
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "metadata" not in report:
        # No report: the registry refused or could not be reached (here: 405 on the bulk
        # advisory endpoint, which only accepts GET from this machine).
        why = report.get("message") or (report.get("error") or {}).get("summary") or "no report"
        print(f"npm audit: advisory endpoint unreachable from this machine ({why}); skipped")
        return True
    counts = report.get("metadata", {}).get("vulnerabilities", {})
    print(f"npm audit: {counts}")
    return done.returncode == 0


def main() -> int:
    results = [bandit(), pip_audit(), npm_audit()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
