"""`drs submit` resource flags in readable units, and pending reasons in `drs jobs`."""

from __future__ import annotations

import pytest

from drs.jobs.models import Job
from tests.cli.conftest import Site


@pytest.mark.parametrize(
    ("text", "mb"), [("8G", 8192), ("500M", 500), ("1T", 1048576), ("4096", 4096), ("2gb", 2048)]
)
def test_memory_units(text: str, mb: int) -> None:
    from drs_cli.units import memory_mb

    assert memory_mb(text) == mb


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2h", 7200), ("1h30m", 5400), ("90m", 5400), ("45s", 45), ("1d", 86400),
     ("01:30:00", 5400), ("10:00", 600), ("300", 300)],
)  # fmt: skip
def test_duration_units(text: str, seconds: int) -> None:
    from drs_cli.units import seconds as parse

    assert parse(text) == seconds


@pytest.mark.parametrize("text", ["", "8X", "-1G", "0", "h", "1h junk"])
def test_bad_units_are_refused(text: str) -> None:
    from drs_cli.units import memory_mb, seconds

    with pytest.raises(ValueError, match="bad"):
        memory_mb(text) if "h" not in text else seconds(text)


@pytest.mark.django_db(transaction=True)
def test_submit_with_resources_and_pending_reason(site: Site) -> None:
    site.server.scheduler = "slurm"
    site.server.save()
    job_id = site.submit(
        "print(1)\n", "--partition", "debug", "--cpus", "4", "--mem", "8G", "--gpus", "1",
        "--time", "2h",
    )  # fmt: skip
    job = Job.objects.get(pk=job_id)
    assert job.resources == {"partition": "debug", "cpus_per_task": 4, "memory_mb": 8192, "gpus": 1}
    assert job.timeout_seconds == 7200

    Job.objects.filter(pk=job_id).update(status="pending", pending_reason="Resources")
    listed = site.run("jobs")
    assert listed.returncode == 0, listed.stderr
    assert b"pending (Resources)" in listed.stdout

    bad = site.run(
        "submit", "-", "--server", site.server.name, "--interpreter", "python3",
        "--partition", "two words", input=b"print(1)\n",
    )  # fmt: skip
    assert bad.returncode != 0
    assert b"resources" in bad.stderr and b"Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    both = site.run(
        "submit", "-", "--server", site.server.name, "--interpreter", "python3",
        "--time", "1h", "--timeout", "60", input=b"print(1)\n",
    )  # fmt: skip
    assert both.returncode != 0 and b"--time or --timeout" in both.stderr
