"""Health checks for load balancers, orchestrators and the worker supervisor.

Each check answers {"ok": bool, ...details}; nothing secret (no URLs, hosts or passwords)
ever goes into a result, because `/api/health/` needs no authentication. Every check runs
under its own time limit, so one hung dependency reports as failed instead of hanging the
probe.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from drs.runner import heartbeat

CHECK_TIMEOUT = 5.0
Result = dict[str, Any]


def _database() -> Result:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True}
    finally:
        close_old_connections()


def _broker() -> Result:
    from django_q.brokers import get_broker

    try:
        broker = get_broker()
        # The ORM broker's ping() is always True: counting its queue table really asks.
        waiting = broker.queue_size()
        if broker.ping() is False:
            return {"ok": False, "error": "broker did not answer ping"}
        return {"ok": True, "queued_tasks": int(waiting or 0)}
    finally:
        close_old_connections()


def _workers() -> Result:
    try:
        age = heartbeat.latest_age()
    finally:
        close_old_connections()
    limit = settings.DRS_HEALTH_HEARTBEAT_MAX_AGE
    if age is None:
        return {"ok": False, "heartbeat_age": None, "error": "no runner heartbeat yet"}
    result: Result = {"ok": age <= limit, "heartbeat_age": round(age, 3)}
    if age > limit:
        result["error"] = f"newest runner heartbeat is {age:.0f} s old (limit {limit} s)"
    return result


def _node() -> Result:
    try:
        return heartbeat.node_stall()
    finally:
        close_old_connections()


async def _channel_layer() -> Result:
    """A group send through the layer: the same Redis round trips a broadcast makes. (Not
    a receive: the layer shares one receive loop per process with every websocket
    consumer, and a probe's cancelled receive must never disturb it.)"""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "error": "no channel layer configured"}
    await layer.group_send("drs.health", {"type": "health.ping"})
    return {"ok": True}


SYNC_CHECKS: dict[str, Callable[[], Result]] = {
    "database": _database,
    "broker": _broker,
    "workers": _workers,
    "node": _node,
}
ASYNC_CHECKS: dict[str, Callable[[], Awaitable[Result]]] = {"channel_layer": _channel_layer}
CHECKS = ("database", "channel_layer", "broker", "workers")
# Asked for by name only (a worker node's own supervisor check): never part of the default.
EXTRA_CHECKS = ("node",)


async def _run_one(name: str) -> Result:
    started = time.monotonic()
    try:
        if name in ASYNC_CHECKS:
            result = await asyncio.wait_for(ASYNC_CHECKS[name](), CHECK_TIMEOUT)
        else:
            # Not thread-sensitive: a hung dependency must not block Django's sync thread.
            check = sync_to_async(SYNC_CHECKS[name], thread_sensitive=False)
            result = await asyncio.wait_for(check(), CHECK_TIMEOUT)
    except TimeoutError:
        result = {"ok": False, "error": f"no answer within {CHECK_TIMEOUT:.0f} s"}
    except Exception as exc:  # any failure of a dependency is a failed check, named
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


async def arun_checks(names: Iterable[str] = CHECKS) -> Result:
    """{"ok": all passed, "checks": {name: result}} for the named checks, run at once."""
    wanted = [name for name in (*CHECKS, *EXTRA_CHECKS) if name in set(names)]
    results = await asyncio.gather(*(_run_one(name) for name in wanted))
    checks = dict(zip(wanted, results, strict=True))
    return {"ok": all(r["ok"] for r in checks.values()), "checks": checks}


def parse_names(raw: str | None) -> list[str]:
    """`database,workers` → the names; ValueError names an unknown one."""
    if not raw:
        return list(CHECKS)
    names = [part.strip() for part in raw.split(",") if part.strip()]
    known = (*CHECKS, *EXTRA_CHECKS)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown check {unknown[0]!r}; choose from {', '.join(known)}")
    return names
