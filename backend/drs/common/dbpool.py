"""PostgreSQL connections from a pool (Django's psycopg pool, `OPTIONS["pool"]`).

Under ASGI every request's sync code runs in a fresh thread, and Django's connections
are per thread: with CONN_MAX_AGE each request would still open a new PostgreSQL
session. A pool is per process and shared by its threads:
a request borrows a connection and gives it back when Django closes it.

Every process that loads the settings has its own pool, bounded small (runner
processes too): DRS_DB_POOL_MIN..DRS_DB_POOL_MAX connections, waiting up to
DRS_DB_POOL_TIMEOUT seconds (default 10) for a free one, which is also how long a
request waits while the database is down. DRS_DB_POOL_MAX=0 turns pooling off.
"""

from __future__ import annotations

import os
from typing import Any

_inherited: list[Any] = []


def pool_options(*, min_size: int, max_size: int, timeout: float) -> dict[str, Any]:
    return {
        "min_size": min(min_size, max_size),
        "max_size": max_size,
        "timeout": timeout,
        # Give idle connections back to the server after a while (beyond min_size).
        "max_idle": 300.0,
        # Replace long-lived connections now and then (server-side memory, failovers).
        "max_lifetime": 3600.0,
    }


def forget_inherited_pools() -> None:
    """In a forked child (django-q2 forks its workers): the parent's pooled connections
    share their sockets with the parent and the pool's threads did not survive the fork.
    Start afresh; the old objects are kept, not closed: closing would end the parent's
    sessions (psycopg itself only closes connections in the process that opened them)."""
    try:
        from django.db.backends.postgresql.base import DatabaseWrapper
    except ImportError:  # psycopg not installed: no pools
        return
    pools: dict[str, Any] = getattr(DatabaseWrapper, "_connection_pools", {})
    if pools:
        _inherited.append(dict(pools))
        pools.clear()


def register_fork_handler() -> None:
    os.register_at_fork(after_in_child=forget_inherited_pools)
