"""The import-linter contracts of pyproject.toml (`make lint`): the tree keeps them, and a
copy of the tree with one import that breaks a layer fails them, at module level and
inside a function alike."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contracts() -> str:
    """The `[tool.importlinter]` table of pyproject.toml, alone in a TOML file."""
    table = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {toml(value)}" for key, value in table.items() if key != "contracts"]
    for contract in table["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {toml(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml(item) for item in value) + "]"
    raise TypeError(value)


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports over the `drs` package under TREE, with the repository's contracts."""
    config = tree / "importlinter.toml"
    config.write_text(contracts())
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(config)],
        cwd=tree, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def tree() -> Iterator[Path]:
    """A copy of backend/drs in a directory of its own."""
    top = Path(tempfile.mkdtemp(prefix="drs-layers-"))
    shutil.copytree(
        ROOT / "backend" / "drs", top / "drs", ignore=shutil.ignore_patterns("__pycache__")
    )
    try:
        yield top
    finally:
        shutil.rmtree(top)


def test_the_tree_keeps_its_layers(tree: Path) -> None:
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import only downwards KEPT" in result.stdout
    assert "BROKEN" not in result.stdout


def test_common_importing_the_runner_fails(tree: Path) -> None:
    (tree / "drs" / "common" / "shortcut.py").write_text("from drs.runner import services\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "Apps import only downwards BROKEN" in result.stdout
    assert "drs.common is not allowed to import drs.runner" in result.stdout
    assert "drs.common.shortcut -> drs.runner.services" in result.stdout


def test_a_function_level_import_fails_too(tree: Path) -> None:
    api = tree / "drs" / "servers" / "api.py"
    api.write_text(
        api.read_text()
        + "\n\ndef _scan(server):\n    from drs.runner.services import scan_host_key\n\n"
        "    return scan_host_key(server)\n"
    )
    result = lint(tree)
    assert result.returncode != 0
    assert "drs.servers is not allowed to import drs.runner" in result.stdout


def test_the_runner_reaching_a_feature_fails(tree: Path) -> None:
    """runner and applications are in different layers; the second contract keeps the
    engine (runner, realtime) from knowing the features built on jobs either way."""
    (tree / "drs" / "runner" / "sweeps.py").write_text("from drs.applications import models\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "The runner and realtime never reach the features built on jobs BROKEN" in (
        result.stdout
    )
