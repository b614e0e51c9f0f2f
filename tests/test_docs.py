"""The documentation: `mkdocs build --strict` (a step of `make lint`) passes on docs/ and
fails on a broken link, and README.md stays a short front page whose references all
resolve inside the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Files outside the repository that DRS's text once pointed at: everything they said that
# the code relies on lives in docs/ now.
OUTSIDE = re.compile(r"\b(DESIGN|NOTES|STYLE)\.md\b|\.\./shared/")
# README.md is a short front page: the sections code once cited live in docs/.
README_SECTION = re.compile(r'\bREADME "|\(README[,)]')
# Where such a pointer would be read: code, tests, the SPA, clients, deployment, tooling.
SCANNED = ["backend", "tests", "frontend/src", "clients", "docker", "bench", "scripts", "docs"]
SCANNED_FILES = ["Makefile", "README.md", "mkdocs.yml", "pyproject.toml"]


def build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_project(target: Path) -> Path:
    """What the docs build reads: mkdocs.yml, docs/, and the files docs/ includes."""
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    for included in re.findall(r'--8<-- "([^"]+)"', read_all(ROOT / "docs")):
        (target / included).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / included, target / included)
    return target


def read_all(folder: Path) -> str:
    return "\n".join(p.read_text() for p in sorted(folder.rglob("*.md")))


def test_the_docs_build_strict(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "img" / "job.png").is_file()


@pytest.mark.parametrize(
    ("link", "complaint"),
    [
        ("[the API](no-such-page.md)", "no-such-page.md"),
        ("[tokens](api.md#no-such-section)", "no-such-section"),
    ],
)
def test_a_broken_link_fails_the_strict_build(tmp_path: Path, link: str, complaint: str) -> None:
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "install.md"
    page.write_text(page.read_text() + f"\nSee {link}.\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_the_copy_without_the_broken_link_builds(tmp_path: Path) -> None:
    # The failure above is the link's, not the copy's.
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_is_a_short_front_page() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    assert not OUTSIDE.search(readme)
    assert "docs/img/job.png" in readme
    for target in re.findall(r"\]\((?!https?://|#)([^)#\s]+)", readme):
        assert (ROOT / target).exists(), f"README links to {target}, which does not exist"


def test_nothing_points_outside_the_repository() -> None:
    offenders = []
    files = [ROOT / name for name in SCANNED_FILES]
    for folder in SCANNED:
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
            and "node_modules" not in p.parts
            and p.suffix in {".py", ".ts", ".tsx", ".md", ".sh", ".yaml", ".yml", ".mjs", ".toml"}
        ]
    for path in files:
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line) or README_SECTION.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
