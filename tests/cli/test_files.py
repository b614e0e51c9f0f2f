"""`drs files` and `drs submit --input/--input-result` against real daphne."""

from __future__ import annotations

import hashlib
import json
import os

from django.core.files.base import ContentFile

from drs.files.models import File
from drs.jobs.models import Job, Result
from tests import factories
from tests.cli.conftest import Site

DATA = b"\x00\x01binary\n" * 50_000 + os.urandom(100_000)


def test_files_upload_list_download_and_rm(site: Site) -> None:
    source = site.home / "run1.dat"
    source.write_bytes(DATA)
    done = site.run("files", "upload", str(source))
    assert done.returncode == 0, done.stderr.decode()
    file_id = done.stdout.decode().strip()
    stored = File.objects.get(pk=file_id)
    assert (stored.size, stored.sha256) == (len(DATA), hashlib.sha256(DATA).hexdigest())

    listed = json.loads(site.run("files", "--json").stdout)
    assert [f["id"] for f in listed] == [file_id]
    assert "run1.dat" in site.run("files").stdout.decode()

    target = site.home / "copy.dat"
    done = site.run("files", "download", file_id, "-o", str(target))
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == DATA

    assert site.run("files", "rm", file_id).returncode == 0
    assert not File.objects.filter(pk=file_id).exists()
    missing = site.run("files", "download", file_id)
    assert missing.returncode == 1
    assert len(missing.stderr.decode().strip().splitlines()) == 1


def test_submit_with_inputs_uploads_and_chains(site: Site) -> None:
    earlier = factories.job(site.user, site.server, credential=site.credential, status="succeeded")
    result = Result(
        job=earlier, path="out/fit.json", size=2, sha256=hashlib.sha256(b"{}").hexdigest()
    )
    result.file.save("fit", ContentFile(b"{}"), save=False)
    result.save()
    (site.home / "data").mkdir()
    (site.home / "data" / "run1.dat").write_bytes(DATA)
    (site.home / "b.bin").write_bytes(b"\x00")
    job_id = site.submit(
        "print(1)\n",
        "--input", str(site.home / "data" / "run1.dat"),
        "--input", f"{site.home / 'b.bin'}:in/b.bin",
        "--input-result", f"{earlier.pk}:out/fit.json",
    )  # fmt: skip
    job = Job.objects.get(pk=job_id)
    inputs = list(job.inputs.values_list("path", "size", "sha256"))
    assert sorted(inputs) == sorted([
        ("run1.dat", len(DATA), hashlib.sha256(DATA).hexdigest()),
        ("in/b.bin", 1, hashlib.sha256(b"\x00").hexdigest()),
        ("fit.json", 2, result.sha256),
    ])  # fmt: skip
    shown = json.loads(site.run("show", job_id, "--json").stdout)
    assert {i["path"] for i in shown["inputs"]} == {"run1.dat", "in/b.bin", "fit.json"}

    bad = site.run(
        "submit", "-", "--server", "cli-sshd", "--interpreter", "python3",
        "--input-result", f"{earlier.pk}:nope.json", input=b"print(1)\n",
    )  # fmt: skip
    assert bad.returncode != 0
    assert "nope.json" in bad.stderr.decode()
