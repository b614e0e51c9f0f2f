"""How job ids reach runner processes: a Redis list (the channel layer's Redis, embedded
or server) that every runner blocks on, so an idle one takes the next job within a
millisecond. The list carries hints only: claiming the lease decides who runs a job,
and each runner's reaper scan finds anything a lost message left behind.

Cancel requests go the same way as hints: a pub/sub message every runner hears, so the
runner holding the job checks it at once; a lost message is caught by its periodic
database check a few seconds later."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def queue_key() -> str:
    return f"{settings.REDIS_PREFIX}:runner:queue"


def _url() -> str:
    return str(settings.CHANNEL_REDIS_URL)


_client: redis.Redis | None = None


def _sync_client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(_url(), socket_timeout=5, socket_connect_timeout=5)
    return _client


def dispatch(job_ids: Iterable[object]) -> None:
    """Wake runners for these jobs. Never fails the caller: if Redis is down, the
    runners' reaper scan picks the jobs up within seconds."""
    ids = [str(j) for j in job_ids]
    if not ids:
        return
    try:
        _sync_client().lpush(queue_key(), *ids)
    except redis.RedisError as exc:
        log.warning("dispatch to runners failed (%s); the reaper will pick the jobs up", exc)


def cancel_channel() -> str:
    return f"{settings.REDIS_PREFIX}:runner:cancel"


def hint_cancel(job_id: object) -> None:
    """Tell every runner that this job's cancel was requested (committed already). Never
    fails the caller: without the hint, the runner's periodic check finds the request."""
    try:
        _sync_client().publish(cancel_channel(), str(job_id))
    except redis.RedisError as exc:
        log.warning("cancel hint to runners failed (%s); their periodic check covers it", exc)


def submit(job_id: object) -> None:
    """A new job: dispatch it once the transaction that created it commits."""
    job = str(job_id)
    transaction.on_commit(lambda: dispatch([job]))


# The runner blocks on the queue this long per BRPOP; the client's socket timeout must
# outlast it (redis-py 8 defaults to 5 s, which cut every idle BRPOP as "unavailable"
# and sent the runner into its backoff instead of listening).
BRPOP_SECONDS = 5


def async_client() -> aioredis.Redis:
    return aioredis.Redis.from_url(
        _url(), socket_connect_timeout=5, socket_timeout=BRPOP_SECONDS + 10
    )


async def adispatch(client: aioredis.Redis, job_ids: Iterable[object]) -> bool:
    ids = [str(j) for j in job_ids]
    if not ids:
        return True
    try:
        await client.lpush(queue_key(), *ids)
    except (redis.RedisError, OSError) as exc:
        log.warning("dispatch to runners failed (%s); claiming directly", exc)
        return False
    return True
