"""Batch-scheduler fields of servers and jobs: what the API accepts and refuses
(docs/schedulers.md), before anything reaches a runner."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from drs.jobs.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def slurm_setup(owner: Any) -> dict[str, Any]:
    srv = factories.server(
        "hpc", scheduler="slurm", default_resources={"partition": "debug", "cpus_per_task": 1}
    )
    cred = factories.credential(owner, srv)
    return {"server": srv, "credential": cred, "interpreter": srv.interpreters.get(name="sh")}


def body(setup: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "server": setup["server"].pk,
        "credential": setup["credential"].pk,
        "interpreter": setup["interpreter"].pk,
        "program": "echo hi\n",
    } | extra


GOOD = {
    "partition": "gpu-a100", "account": "proj_42", "qos": "normal", "reservation": "maint.1",
    "constraint": "[skylake|cascade]&ib", "nodes": 2, "ntasks": 4, "cpus_per_task": 8,
    "memory_mb": 16000, "gpus": 0,
}  # fmt: skip


def test_resources_are_stored_and_shown(api: APIClient, slurm_setup: dict[str, Any]) -> None:
    resp = api.post("/api/jobs/", body(slurm_setup, resources=GOOD), format="json")
    assert resp.status_code == 201, resp.json()
    shown = resp.json()
    assert shown["resources"] == GOOD
    assert shown["status"] == "queued"
    assert shown["scheduler_job_id"] == "" and shown["pending_reason"] == ""
    assert shown["expected_start_at"] is None and shown["scheduler_state"] == ""
    assert Job.objects.get(pk=shown["id"]).resources == GOOD
    # A rerun asks for the same resources.
    rerun = api.post(f"/api/jobs/{shown['id']}/rerun/")
    assert rerun.status_code == 201 and rerun.json()["resources"] == GOOD


@pytest.mark.parametrize(
    "resources",
    [
        {"partition": "debug\n#SBATCH --uid=0"},
        {"partition": "two words"},
        {"partition": " debug"},
        {"account": "a;rm -rf ~"},
        {"qos": "$(id)"},
        {"reservation": "`id`"},
        {"partition": "x" * 129},
        {"partition": ""},
        {"partition": 7},
        {"partition": "a|b"},
        {"constraint": "ib'"},
        {"nodes": 0},
        {"cpus_per_task": -1},
        {"memory_mb": "8G"},
        {"gpus": -1},
        {"ntasks": True},
        {"nodes": 1.5},
        {"walltime": 60},
        {"partition": "debug", "colour": "blue"},
        ["partition", "debug"],
        "debug",
    ],
)
def test_bad_resources_are_400_naming_the_field(
    api: APIClient, slurm_setup: dict[str, Any], resources: Any
) -> None:
    resp = api.post("/api/jobs/", body(slurm_setup, resources=resources), format="json")
    assert resp.status_code == 400, resp.json()
    assert list(resp.json()) == ["resources"], resp.json()
    assert not Job.objects.exists()


def test_resources_on_a_direct_server_are_400(api: APIClient, owner: Any) -> None:
    srv = factories.server("plain")
    cred = factories.credential(owner, srv)
    setup = {"server": srv, "credential": cred, "interpreter": srv.interpreters.get(name="sh")}
    resp = api.post("/api/jobs/", body(setup, resources={"cpus_per_task": 2}), format="json")
    assert resp.status_code == 400
    assert "resources" in resp.json()
    # No resources at all is fine there (an empty object too).
    assert api.post("/api/jobs/", body(setup, resources={}), format="json").status_code == 201


def test_server_scheduler_and_defaults(staff_api: APIClient, api: APIClient) -> None:
    created = staff_api.post(
        "/api/servers/",
        {"name": "hpc2", "hostname": "login.example.org", "scheduler": "slurm",
         "default_resources": {"partition": "debug", "memory_mb": 1000}},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["scheduler"] == "slurm"
    assert created.json()["default_resources"] == {"partition": "debug", "memory_mb": 1000}
    server_id = created.json()["id"]
    bad = staff_api.patch(
        f"/api/servers/{server_id}/", {"default_resources": {"nodes": 0}}, format="json"
    )
    assert bad.status_code == 400 and list(bad.json()) == ["default_resources"]
    direct = staff_api.patch(f"/api/servers/{server_id}/", {"scheduler": "direct"}, format="json")
    assert direct.status_code == 400 and "default_resources" in direct.json()
    unknown = staff_api.patch(f"/api/servers/{server_id}/", {"scheduler": "pbs"}, format="json")
    assert unknown.status_code == 400 and "scheduler" in unknown.json()
    # Users read the scheduler (the new-job form needs it) but cannot change it.
    assert api.get(f"/api/servers/{server_id}/").json()["scheduler"] == "slurm"
    assert api.patch(f"/api/servers/{server_id}/", {"scheduler": "direct"}).status_code == 403


def test_pending_counts_against_max_concurrent_jobs(owner: Any) -> None:
    from drs.runner import lease

    srv = factories.server("capped", scheduler="slurm", max_concurrent_jobs=2)
    cred = factories.credential(owner, srv)
    interp = srv.interpreters.get(name="sh")

    def job(status: str) -> Job:
        return Job.objects.create(
            owner=owner, server=srv, credential=cred, interpreter=interp, program="x",
            status=status,
        )  # fmt: skip

    job("pending")
    job("running")
    waiting = job("queued")
    assert lease.reserve_slots(srv.pk) == []
    waiting.refresh_from_db()
    assert waiting.status == "queued"
    Job.objects.filter(status="running").update(status="succeeded")
    assert lease.reserve_slots(srv.pk) == [str(waiting.pk)]


def test_pending_is_a_status_filter(api: APIClient, slurm_setup: dict[str, Any]) -> None:
    resp = api.post("/api/jobs/", body(slurm_setup), format="json")
    Job.objects.filter(pk=resp.json()["id"]).update(
        status="pending", pending_reason="Resources", scheduler_job_id="17"
    )
    listed = api.get("/api/jobs/?status=pending").json()["results"]
    assert [j["id"] for j in listed] == [resp.json()["id"]]
    assert listed[0]["pending_reason"] == "Resources"
    assert listed[0]["scheduler_job_id"] == "17"
