"""`/ws/jobs/` under Slurm: an event when the job becomes pending (with its reason, while
the node is busy), when it starts, and when it ends, in that order."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from drs.jobs.models import Job
from drs.jobs.services import job_cancel
from drs.runner.process import run_job
from tests import factories
from tests.fixtures.daphne import Daphne
from tests.fixtures.slurm import Slurm
from tests.fixtures.sshd import Sshd, key_credential, ssh_server
from tests.realtime.conftest import token_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)


def make_jobs(owner: Any, sshd: Sshd) -> tuple[Job, Job]:
    server = ssh_server(sshd, "ws-slurm", scheduler="slurm")
    credential = key_credential(owner, server, sshd)
    interpreter = factories.interpreter("sh", "/bin/sh", [])

    def job(program: str) -> Job:
        return Job.objects.create(
            owner=owner, server=server, credential=credential, interpreter=interpreter,
            program=program, resources={"cpus_per_task": 2},
        )  # fmt: skip

    return job("exec sleep 303\n"), job("echo second\n")


def run_in_thread(job_id: str) -> threading.Thread:
    def target() -> None:
        try:
            run_job(job_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


async def test_pending_running_and_end_events(
    daphne: Daphne, slurm: Slurm, slurm_sshd: Sshd, owner: Any
) -> None:
    slurm.run("scancel", "-u", "drstest")
    blocker, second = await sync_to_async(make_jobs)(owner, slurm_sshd)
    seen: dict[str, list[dict[str, Any]]] = {str(blocker.pk): [], str(second.pk): []}
    async with ws_connect(
        f"{daphne.url}/ws/jobs/", additional_headers=await token_headers(owner)
    ) as ws:

        async def until(job: Job, predicate: Any) -> dict[str, Any]:
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), 120))["job"]
                seen[event["id"]].append(event)
                if event["id"] == str(job.pk) and predicate(event):
                    return event

        threads = [run_in_thread(str(blocker.pk))]
        await until(blocker, lambda e: e["status"] == "running")
        threads.append(run_in_thread(str(second.pk)))
        waiting = await until(second, lambda e: e["pending_reason"] == "Resources")
        assert waiting["status"] == "pending" and waiting["scheduler_job_id"].isdigit()
        await sync_to_async(job_cancel)(job=await Job.objects.aget(pk=blocker.pk))
        await until(blocker, lambda e: e["status"] == "cancelled")
        done = await until(second, lambda e: e["status"] == "succeeded")
        assert done["pending_reason"] == "" and done["expected_start_at"] is None
    for thread in threads:
        await asyncio.to_thread(thread.join, 60)
    for events in seen.values():
        statuses = [e["status"] for e in events]
        # pending before running, never after it
        assert statuses.index("pending") < statuses.index("running")
        assert "pending" not in statuses[statuses.index("running") :]
