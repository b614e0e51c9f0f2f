from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notifications.receivers import Receiver, Smtp


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver().start()
    yield found
    found.stop()


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp()
    server.controller.start()
    yield server
    server.controller.stop()
