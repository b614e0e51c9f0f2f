"""Slow fault scenarios run only when asked: `make chaos` (DRS_CHAOS=1) and `make fuzz`
(DRS_FUZZ=1). `make test` skips them, saying which target runs them."""

from __future__ import annotations

import os

import pytest

GATES = {"chaos": ("DRS_CHAOS", "make chaos"), "fuzz": ("DRS_FUZZ", "make fuzz")}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "chaos: a slow fault scenario (make chaos)")
    config.addinivalue_line("markers", "fuzz: the long live-socket API fuzz (make fuzz)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker, (variable, target) in GATES.items():
            if item.get_closest_marker(marker) and os.environ.get(variable) != "1":
                item.add_marker(pytest.mark.skip(reason=f"slow: runs in `{target}`"))
