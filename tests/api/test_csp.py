"""The SPA's Content-Security-Policy (issue 32, D14): a response header, strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings


@pytest.fixture
def built_spa(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html><title>DRS</title>")
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/jobs/123", "/servers"])
def test_spa_index_has_a_strict_csp(built_spa: Path, path: str) -> None:
    with override_settings(FRONTEND_DIST=built_spa):
        resp = Client().get(path)
    assert resp.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in resp["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in resp["Content-Security-Policy"]


def test_built_index_has_no_inline_script() -> None:
    index = Path(__file__).resolve().parents[2] / "frontend" / "index.html"
    html = index.read_text()
    assert "<script>" not in html
    assert '<script src="/theme.js"></script>' in html


@pytest.mark.django_db
def test_swagger_ui_is_still_served(staff: object) -> None:
    client = Client()
    client.force_login(staff)  # type: ignore[arg-type]
    resp = client.get("/api/docs/")
    assert resp.status_code == 200 and b"SwaggerUIBundle" in resp.content
