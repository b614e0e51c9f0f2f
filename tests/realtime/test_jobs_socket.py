"""`/ws/jobs/`: status changes of one's own jobs (staff: all), as the REST API shows them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from websockets.asyncio.client import ClientConnection

from drs.jobs.events import anotify_job_changed
from drs.jobs.models import Job
from drs.jobs.serializers import JobSummarySerializer
from tests import factories
from tests.fixtures.daphne import Daphne
from tests.realtime.conftest import session_headers, token_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)


async def next_job(ws: ClientConnection) -> dict[str, Any]:
    frame = json.loads(await ws.recv())
    assert frame["type"] == "job"
    job: dict[str, Any] = frame["job"]
    return job


def rest_view(job_id: Any) -> dict[str, Any]:
    """The job as `GET /api/jobs/` renders it (JSON types)."""
    from rest_framework.renderers import JSONRenderer

    job = Job.objects.select_related("owner", "server", "interpreter").get(pk=job_id)
    result: dict[str, Any] = json.loads(JSONRenderer().render(JobSummarySerializer(job).data))
    return result


async def test_own_jobs_only(daphne: Daphne, owner: Any, stranger: Any, staff: Any) -> None:
    mine = await sync_to_async(factories.job)(owner, title="mine")
    theirs = await sync_to_async(
        lambda: factories.job(stranger, factories.server("other"), title="theirs")
    )()
    # A rerun points at another job by UUID: the event must still make it through msgpack.
    rerun = await Job.objects.acreate(
        owner=owner,
        server_id=mine.server_id,
        interpreter_id=mine.interpreter_id,
        program="print(1)",
        rerun_of=mine,
        title="rerun",
    )
    url = f"{daphne.url}/ws/jobs/"
    async with (
        ws_connect(url, additional_headers=await session_headers(owner, daphne)) as owner_ws,
        ws_connect(url, additional_headers=await token_headers(stranger)) as stranger_ws,
        ws_connect(url, additional_headers=await token_headers(staff)) as staff_ws,
    ):
        await Job.objects.filter(pk=mine.pk).aupdate(status="running")
        await anotify_job_changed(mine.pk)
        await Job.objects.filter(pk=theirs.pk).aupdate(status="failed", exit_code=2)
        await anotify_job_changed(theirs.pk)
        await anotify_job_changed(rerun.pk)

        # Each socket's messages arrive in publish order, so the stranger's first message
        # being its own job shows the owner's event never reached it.
        assert await next_job(owner_ws) == await sync_to_async(rest_view)(mine.pk)
        got = await next_job(owner_ws)
        assert got["id"] == str(rerun.pk)
        assert got["rerun_of"] == str(mine.pk)

        theirs_view = await next_job(stranger_ws)
        assert theirs_view == await sync_to_async(rest_view)(theirs.pk)
        assert theirs_view["status"] == "failed"
        assert theirs_view["exit_code"] == 2

        # Staff see every job, each event once.
        seen = [(await next_job(staff_ws))["id"] for _ in range(3)]
        assert seen == [str(mine.pk), str(theirs.pk), str(rerun.pk)]

        # And after that the stranger's socket gets the stranger's jobs only.
        await anotify_job_changed(mine.pk)
        await anotify_job_changed(theirs.pk)
        assert (await next_job(stranger_ws))["id"] == str(theirs.pk)
        assert (await next_job(owner_ws))["id"] == str(mine.pk)


async def test_status_changes_through_the_service(daphne: Daphne, owner: Any) -> None:
    """A real status change (cancelling a queued job through the jobs service) reaches the
    owner's `/ws/jobs/`, and ends a follower of the job's (empty) log."""
    from drs.jobs.services import job_cancel

    job = await sync_to_async(factories.job)(owner)
    headers = await token_headers(owner)
    async with (
        ws_connect(f"{daphne.url}/ws/jobs/", additional_headers=headers) as ws,
        ws_connect(f"{daphne.url}/ws/jobs/{job.pk}/logs/", additional_headers=headers) as logs,
    ):
        await sync_to_async(job_cancel)(job=job)
        got = await next_job(ws)
        assert got["id"] == str(job.pk)
        assert got["status"] == "cancelled"
        assert got == await sync_to_async(rest_view)(job.pk)
        end = json.loads(await logs.recv())
        assert end == {"type": "end", "status": "cancelled", "exit_code": None}
        await logs.wait_closed()
        assert logs.close_code == 1000
