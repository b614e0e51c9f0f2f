"""Lists longer than a page: the job list's cursor pages (`next` in the body) and the
results' pages (`Link` header), followed to the end by drs_cli's paging helper."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from drs_cli.api import iter_all
from drs_client.api.jobs import jobs_results_list

from drs.jobs.models import Result
from tests import factories
from tests.cli.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page(site: Site) -> None:
    created = [
        str(factories.job(site.user, site.server, credential=site.credential, title=f"j{i}").pk)
        for i in range(130)
    ]
    listed = site.run("jobs", "--limit", "0", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [j["id"] for j in json.loads(listed.stdout)] == created[::-1]  # newest first
    assert len(json.loads(site.run("jobs", "--json").stdout)) == 50  # the default --limit

    job = factories.job(site.user, site.server, credential=site.credential)
    for name in ("c.txt", "a.txt", "b/b.txt"):
        data = name.encode()
        Result.objects.create(
            job=job, path=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            file=ContentFile(data, name=name.replace("/", "_")),
        )  # fmt: skip
    with site.session.client() as client:
        paths = [
            r.path
            for r in iter_all("results", jobs_results_list.sync_detailed, job.pk, client=client,
                              page_size=1)
        ]  # fmt: skip
    assert paths == ["a.txt", "b/b.txt", "c.txt"]
