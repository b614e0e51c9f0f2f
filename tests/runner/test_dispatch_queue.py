"""The dispatch queue's client, against the installation's real Redis."""

from __future__ import annotations

import uuid

from drs.jobs import dispatch


async def test_an_idle_blocking_pop_returns_nothing_instead_of_timing_out() -> None:
    """redis-py 8's default 5 s socket timeout equals the runner's BRPOP wait: every idle
    pop failed as "dispatch queue unavailable" and the runner backed off, up to 10 s,
    instead of listening."""
    client = dispatch.async_client()
    try:
        empty = f"{dispatch.queue_key()}:idle-{uuid.uuid4().hex}"
        assert await client.brpop([empty], timeout=dispatch.BRPOP_SECONDS) is None
    finally:
        await client.aclose()
