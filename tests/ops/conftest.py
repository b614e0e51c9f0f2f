"""What the ops tests share: whole `serve` nodes and waiting on real processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fixtures.daphne import free_port
from tests.fixtures.serve import Serve
from tests.runner import conftest as runner


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 120) -> None:
    """Polls every 0.1 s; generous by default: these are real process trees on a busy
    machine, and the test fails on what never happens, not on slowness."""
    runner.wait_for(predicate, what, timeout=timeout, step=0.1)


@pytest.fixture
def serve_node() -> Iterator[Callable[[str, dict[str, str], Path], Serve]]:
    """Makes `manage.py serve` nodes (not started) on free ports; each is stopped after
    the test, whatever happened to it."""
    made: list[Serve] = []

    def make(name: str, env: dict[str, str], log_path: Path) -> Serve:
        node = Serve(name, env, free_port(), log_path)
        made.append(node)
        return node

    yield make
    for node in made:
        node.stop()
