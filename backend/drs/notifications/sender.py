"""The webhook sender: one asyncio loop posting due deliveries concurrently, so a receiver
that never answers costs one pending socket per attempt, not a worker, and never holds up
another webhook's deliveries (each webhook has at most PER_WEBHOOK attempts in flight).
Runs in `manage.py notifier`, a child of `manage.py workers`; several may run (one per
node): claims decide who posts what."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async

from drs.notifications import delivery, services

log = logging.getLogger("drs.notifications")

T = TypeVar("T")
CONCURRENCY = 200
PER_WEBHOOK = 10
POLL_SECONDS = 1.0


async def db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await sync_to_async(fn, thread_sensitive=True)(*args, **kwargs)


class Sender:
    def __init__(
        self, *, concurrency: int = CONCURRENCY, per_webhook: int = PER_WEBHOOK,
        db_call: Callable[..., Awaitable[Any]] = db,
    ) -> None:  # fmt: skip
        self.concurrency = concurrency
        self.per_webhook = per_webhook
        self.db = db_call
        self.in_flight: dict[str, asyncio.Task[None]] = {}
        self.busy: dict[int, int] = {}
        self.http = delivery.client()

    async def tick(self) -> int:
        """Start the attempts that are due now; how many started."""
        free = self.concurrency - len(self.in_flight)
        if free <= 0:
            return 0
        claimed = await self.db(
            services.deliveries_claim,
            limit=free,
            busy=dict(self.busy),
            per_webhook=self.per_webhook,
        )
        for item in claimed:
            self.busy[item.webhook_id] = self.busy.get(item.webhook_id, 0) + 1
            self.in_flight[item.id] = asyncio.create_task(self._attempt(item))
        return len(claimed)

    async def _attempt(self, item: services.Claimed) -> None:
        recorded = False
        try:
            outcome = await delivery.attempt(
                self.http,
                url=item.url,
                secret=item.secret,
                delivery_id=item.id,
                event=item.event,
                body=item.body,
            )
            await self.db(
                services.delivery_record,
                delivery_id=item.id,
                attempt=item.attempt,
                outcome=outcome,
            )
            recorded = True
            log.info(
                "delivery %s (%s) attempt %d: %s",
                item.id,
                item.event,
                item.attempt,
                outcome.status_code or outcome.error,
            )
        except Exception:  # the loop goes on; the claim runs out and the attempt is retried
            log.exception("delivery %s: attempt %d failed", item.id, item.attempt)
        finally:
            self.in_flight.pop(item.id, None)
            left = self.busy.get(item.webhook_id, 1) - 1
            if left > 0:
                self.busy[item.webhook_id] = left
            else:
                self.busy.pop(item.webhook_id, None)
            if not recorded:
                with contextlib.suppress(Exception):
                    await asyncio.shield(self.db(services.delivery_release, delivery_id=item.id))

    async def drain(self) -> None:
        """Wait for every attempt in flight (tests, a clean stop)."""
        while self.in_flight:
            await asyncio.gather(*list(self.in_flight.values()), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self.in_flight.values()):
            task.cancel()
        await self.drain()
        await self.http.aclose()
