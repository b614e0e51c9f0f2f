"""Every message DRS puts on the channel layer goes through here: group names and event
types live in one place. Callers commit first, then publish; a failed publish is logged
and dropped, because the database is the truth and consumers backfill from it."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from rest_framework.utils.encoders import JSONEncoder

from drs.common.isotime import iso_time

log = logging.getLogger(__name__)

STAFF_JOBS_GROUP = "jobs.staff"


def job_logs_group(job_id: object) -> str:
    return f"job.{job_id}.logs"


def user_jobs_group(user_id: int) -> str:
    return f"jobs.user.{user_id}"


def log_event(
    *, seq: int, stream: str, offset: int, data: bytes, time: datetime, line: int
) -> dict[str, Any]:
    # Bytes travel as bytes (msgpack); consumers decode for the JSON frame. msgpack has no
    # datetime: the time travels as the ISO 8601 text the logs endpoint shows.
    return {
        "type": "log.chunk",
        "seq": seq,
        "stream": stream,
        "offset": offset,
        "data": data,
        "time": iso_time(time),
        "line": line,
    }


def metric_event(*, points: list[tuple[int, dict[str, float]]], time: datetime) -> dict[str, Any]:
    """The points one flush stored for a job, in one message: a job writing a thousand
    points a second costs the channel layer a few messages, not a thousand."""
    return {"type": "metric.points", "time": iso_time(time), "points": points}


Message = tuple[str, dict[str, Any]]


def progress_messages(owner_id: int, job_id: object, progress: float) -> list[Message]:
    """A running job's progress for `/ws/jobs/` (its owner's and staff's)."""
    event = {"type": "job.progress", "id": str(job_id), "progress": progress}
    return [(user_jobs_group(owner_id), event), (STAFF_JOBS_GROUP, event)]


async def asend_messages(messages: list[Message]) -> None:
    """(group, event) pairs in order, in one round trip where the layer can."""
    await _asend_many(messages)


async def apublish_log_chunk(
    job_id: object,
    *,
    seq: int,
    stream: str,
    offset: int,
    data: bytes,
    time: datetime,
    line: int,
) -> None:
    event = log_event(seq=seq, stream=stream, offset=offset, data=data, time=time, line=line)
    await _asend_many([(job_logs_group(job_id), event)])


async def apublish_log_events(events: list[tuple[object, dict[str, Any]]]) -> None:
    """Several (job id, `log_event`) in order, in one round trip where the layer can."""
    await _asend_many([(job_logs_group(job_id), event) for job_id, event in events])


async def _asend_many(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    try:
        send_many = getattr(layer, "group_send_many", None)
        if send_many is not None:
            await send_many(messages)
        else:
            for group, event in messages:
                await layer.group_send(group, event)
    except Exception:
        log.warning(
            "channel layer publish of %d messages failed; clients will backfill",
            len(messages),
            exc_info=True,
        )


# drs.jobs' status changes (drs/jobs/events.py): this module is the subscriber that
# RealtimeConfig.ready registers. Each change goes to its owner's and staff's `/ws/jobs/`
# and to its log followers.
def jobs_changed(changes: Sequence[tuple[object, int, dict[str, Any]]]) -> None:
    publish_jobs(changes)


async def ajobs_changed(changes: Sequence[tuple[object, int, dict[str, Any]]]) -> None:
    await _asend_many([m for change in changes for m in job_changed_messages(*change)])


def job_changed_messages(
    job_id: object, owner_id: int, job_data: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    event = {"type": "job.changed", "job": json_safe(job_data)}
    groups = (user_jobs_group(owner_id), STAFF_JOBS_GROUP, job_logs_group(job_id))
    return [(group, event) for group in groups]


def json_safe(data: dict[str, Any]) -> dict[str, Any]:
    """Serializer output as plain JSON types, exactly as the REST API renders it: msgpack
    on the layer cannot carry a UUID (`rerun_of`), a Decimal or a lazy string."""
    result: dict[str, Any] = json.loads(json.dumps(data, cls=JSONEncoder))
    return result


def publish_jobs(changes: Sequence[tuple[object, int, dict[str, Any]]]) -> None:
    """Many jobs' changes (job id, owner id, summary) in one call to the layer."""
    messages = [m for change in changes for m in job_changed_messages(*change)]
    if not messages:
        return
    layer = get_channel_layer()
    send_sync = getattr(layer, "group_send_many_sync", None)
    if send_sync is None:  # another layer (tests' in-memory one)
        async_to_sync(_asend_many)(messages)
        return
    try:
        send_sync(messages)
    except Exception:
        log.warning(
            "channel layer publish of a job change failed; clients will backfill", exc_info=True
        )
