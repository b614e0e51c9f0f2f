"""Regenerate (or check) the generated package `drs_client` from the OpenAPI schema.

    python clients/python/generate.py                 # rewrite clients/python/drs_client/
    python clients/python/generate.py --check         # exit 1 when it is stale
    python clients/python/generate.py --check --package /tmp/x/drs_client --schema s.yaml

The generator reads a copy of the schema whose request bodies keep only their JSON form:
the API also accepts form posts (for the browsable API), but a client only sends JSON, and
openapi-python-client 0.29 emits code that does not import (`Unset` undefined) for bodies
with several content types.

The generator (openapi-python-client, a dev dependency of the main venv) always writes into
a fresh temporary directory and its output is formatted by the pinned ruff in isolated
mode, so the same schema gives the same bytes wherever it runs; `--check` compares that
output with the committed tree file by file. Nothing hand-written lives in `drs_client/`:
it is replaced whole.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PACKAGE = "drs_client"
IGNORED = {"__pycache__", ".ruff_cache"}


def json_only(schema: Path, into: Path) -> Path:
    """A copy of the schema with only `application/json` request bodies (see above)."""
    import yaml

    document = yaml.safe_load(schema.read_text())
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            content = (
                operation.get("requestBody", {}).get("content", {})
                if isinstance(operation, dict)
                else {}
            )
            if "application/json" in content:
                for media_type in list(content):
                    if media_type != "application/json":
                        del content[media_type]
    copy = into / "openapi.json"
    copy.write_text(json.dumps(document, indent=1))
    return copy


def generate(schema: Path, into: Path) -> Path:
    """Generate the package under `into` and return its directory."""
    out = into / PACKAGE
    schema = json_only(schema, into)
    bin_dir = Path(sys.executable).parent
    generator = shutil.which("openapi-python-client", path=str(bin_dir)) or shutil.which(
        "openapi-python-client"
    )
    if generator is None:
        sys.exit("openapi-python-client is not installed: run `make venv`")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [
            generator, "generate", "--path", str(schema), "--meta", "none",
            "--config", str(HERE / "openapi-python-client.yaml"), "--output-path", str(out),
        ],
        env=env, cwd=into, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not (out / "__init__.py").exists():
        sys.exit(f"openapi-python-client failed:\n{done.stdout}{done.stderr}")
    if "Warning" in done.stdout or "Warning" in done.stderr:
        # The generator skips what it cannot model; a silently missing endpoint is a bug.
        sys.exit(f"openapi-python-client warned:\n{done.stdout}{done.stderr}")
    (out / "py.typed").write_text("")  # PEP 561: the models' types reach users' mypy
    return out


def files(tree: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(tree.rglob("*")):
        rel = path.relative_to(tree)
        if path.is_file() and not IGNORED.intersection(rel.parts):
            found[rel.as_posix()] = path.read_bytes()
    return found


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    lines: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        want, have = expected.get(name), actual.get(name)
        if want == have:
            continue
        if want is None:
            lines.append(f"only in the committed client (remove it): {name}")
        elif have is None:
            lines.append(f"missing from the committed client: {name}")
        else:
            diff = difflib.unified_diff(
                have.decode(errors="replace").splitlines(),
                want.decode(errors="replace").splitlines(),
                f"committed/{name}",
                f"generated/{name}",
                lineterm="",
                n=1,
            )
            lines.extend(list(diff)[:40])
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--schema", type=Path, default=ROOT / "schema" / "openapi.yaml")
    parser.add_argument("--package", type=Path, default=HERE / PACKAGE)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="drs-client-") as tmp:
        fresh = generate(args.schema.resolve(), Path(tmp))
        if args.check:
            stale = differences(files(fresh), files(args.package) if args.package.is_dir() else {})
            if stale:
                print("\n".join(stale[:200]))
                print(f"{args.package} is stale: run 'make client' and commit")
                return 1
            return 0
        if args.package.exists():
            shutil.rmtree(args.package)
        shutil.copytree(fresh, args.package, ignore=shutil.ignore_patterns(*IGNORED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
