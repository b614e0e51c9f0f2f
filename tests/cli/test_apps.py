"""`drs apps`, `drs run APP -p … --follow` and `drs sweep APP --vary …` against the real
stack (daphne, runner workers, sshd)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from drs.applications.models import Application
from drs.jobs.models import Job
from tests import factories
from tests.cli.conftest import Site
from tests.fixtures.workers import Workers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app(site: Site) -> Application:
    application = Application.objects.create(
        name="echo",
        title="Echo the argv",
        interpreter=factories.interpreter(),
        program="import json, sys\nprint(json.dumps(sys.argv[1:]))\nsys.exit(int(sys.argv[3]))\n",
        arguments=["{label}", "{q}", "{code}", "{fast}"],
        parameters={
            "type": "object",
            "properties": {
                "label": {"type": "string"},
                "q": {"type": "number", "minimum": 0, "default": 0.5},
                "code": {"type": "integer", "default": 0},
                "fast": {"type": "boolean", "default": False},
            },
            "required": ["label"],
        },
    )
    application.servers.set([site.server])
    return application


def test_apps_lists_names_and_parameters(site: Site, app: Application) -> None:
    done = site.run("apps")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[1].split() == [
        "echo", "Echo", "the", "argv", "label", "q", "code", "fast",
    ]  # fmt: skip
    listed = json.loads(site.run("apps", "--json").stdout)
    assert [a["name"] for a in listed] == ["echo"]


def test_run_follow_types_values_by_the_schema(
    site: Site, app: Application, start_workers: Callable[..., Workers]
) -> None:
    start_workers(workers=1)
    done = site.run(
        "run", "echo", "-p", "label=3 $(id)", "-p", "q=1e-3", "-p", "code=4", "-p", "fast=yes",
        "--follow",
    )  # fmt: skip
    assert done.stdout == b'["3 $(id)", "0.001", "4", "true"]\n', done.stderr
    assert done.returncode == 4
    job = Job.objects.get()
    assert job.application == "echo"
    assert job.parameters == {"label": "3 $(id)", "q": 0.001, "code": 4, "fast": True}


def test_sweep_and_errors_name_the_parameter(site: Site, app: Application) -> None:
    done = site.run("sweep", "echo", "-p", "label=x", "--vary", "q=0.1,0.2,0.3", "--json")
    assert done.returncode == 0, done.stderr
    created = json.loads(done.stdout)
    assert created["count"] == 3
    jobs = Job.objects.filter(sweep_id=created["id"])
    assert sorted(j.parameters["q"] for j in jobs) == [0.1, 0.2, 0.3]

    done = site.run("run", "echo", "-p", "label=x", "-p", "q=-1")
    assert done.returncode == 1
    assert done.stderr.decode() == "drs: submit: parameters: q: Must be at least 0.\n"
    done = site.run("run", "echo", "-p", "code=two")
    assert (done.returncode, done.stderr) == (1, b"drs: -p code=two: code takes an integer\n")
    done = site.run("run", "nosuch", "-p", "x=1")
    assert (done.returncode, done.stderr) == (1, b"drs: application nosuch: not found\n")
