"""`GET /metrics`: who may scrape it, and values that follow a real job run by real
worker processes over SSH (multiprocess: the runner writes, the web process reads)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

OUTSIDE = "203.0.113.9"


def scrape(client: Client | None = None, **extra: Any) -> dict[tuple[str, tuple[Any, ...]], float]:
    response = (client or Client()).get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def test_loopback_may_scrape_others_may_not(settings: Any) -> None:
    settings.DRS_METRICS_TOKEN = ""
    settings.DRS_METRICS_ALLOW = []
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    refused = Client(REMOTE_ADDR=OUTSIDE).get("/metrics")
    assert refused.status_code == 403
    assert b"drs_" not in refused.content


def test_token_or_allowed_network(settings: Any) -> None:
    import ipaddress

    settings.DRS_METRICS_TOKEN = "s3cret-scrape-token"
    settings.DRS_METRICS_ALLOW = [ipaddress.ip_network("198.51.100.0/24")]
    outside = Client(REMOTE_ADDR=OUTSIDE)
    assert outside.get("/metrics").status_code == 403
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert (
        outside.get("/metrics", HTTP_AUTHORIZATION="Token s3cret-scrape-token").status_code == 403
    )
    ok = outside.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200
    assert b"drs_jobs{" in ok.content
    assert Client(REMOTE_ADDR="198.51.100.7").get("/metrics").status_code == 200


def test_database_gauges(owner: Any) -> None:
    server = factories.server("metrics-a")
    factories.job(owner, server)
    factories.job(owner, server)
    factories.job(owner, server, status="failed")
    values = scrape()
    assert values[("drs_jobs", (("status", "queued"),))] == 2
    assert values[("drs_jobs", (("status", "failed"),))] == 1
    assert values[("drs_jobs", (("status", "running"),))] == 0
    assert values[("drs_queue_depth", (("server", "metrics-a"),))] == 2
