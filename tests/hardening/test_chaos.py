"""Fault scenarios (issue 14), each printing its figure: a web restart under live log
readers, Redis down, a database restart, an SSH link cut. Real daphne, real worker tree
(`start_workers`), real sshd; in server mode against the private PostgreSQL and Redis
that `make chaos` (tests/hardening/chaos.py) starts for them."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection
from rest_framework.test import APIClient

from drs.jobs.models import Job, LogChunk, Result
from tests import factories
from tests.fixtures.daphne import Daphne
from tests.fixtures.sshd import Sshd, key_credential, ssh_server
from tests.hardening import faults
from tests.hardening.faults import Follower

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]

JOBS = 10
server_mode = pytest.mark.skipif(
    not os.environ.get("DRS_CHAOS_REDIS_PORT"), reason="needs `make chaos` (private services)"
)


def db_retry(read: Callable[[], Any]) -> Any:
    """A read from the test process that survives the database restarting under it."""
    for _ in range(100):
        try:
            return read()
        except DatabaseError:
            with contextlib.suppress(DatabaseError):
                connection.close()
            time.sleep(0.2)
    return read()


@pytest.fixture
def setup(owner: Any, sshd: Sshd) -> dict[str, Any]:
    server = ssh_server(sshd, max_concurrent_jobs=50)
    return {
        "server": server,
        "credential": key_credential(owner, server, sshd),
        "token": factories.token(owner),
    }


def start_jobs(api: APIClient, setup: dict[str, Any], lines: int, interval: float) -> list[str]:
    program = faults.numbered_program(lines, interval)
    ids = [faults.submit(api, setup["server"], setup["credential"], program) for _ in range(JOBS)]
    faults.wait_until(lambda: db_retry(lambda: faults.all_running(ids)), "10 running jobs")
    return ids


def check_exact(ids: list[str], followers: list[Follower], lines: int) -> dict[str, int]:
    """Every job succeeded with the exact log stored and received: the figures."""
    expected = faults.expected_output(lines)
    figures = {"gaps": 0, "duplicates": 0, "stored_gaps": 0, "stored_repeats": 0, "bytes_wrong": 0}
    for job_id, follower in zip(ids, followers, strict=True):
        job = Job.objects.get(pk=job_id)
        assert job.status == "succeeded", (job.status, job.error)
        gaps, duplicates = follower.gaps_and_duplicates()
        stored_gaps, stored_repeats = faults.stored_gaps_and_repeats(job_id)
        figures["gaps"] += gaps
        figures["duplicates"] += duplicates
        figures["stored_gaps"] += stored_gaps
        figures["stored_repeats"] += stored_repeats
        figures["bytes_wrong"] += (faults.stored_log(job_id) != expected) + (
            follower.stdout() != expected
        )
        assert follower.end is not None and follower.end["status"] == "succeeded"
        assert follower.seqs == list(range(1, job.last_seq + 1))
    return figures


def runner_starts(workers: Any) -> int:
    return sum(
        1
        for line in workers.log_text().splitlines()
        if line.endswith(" ready") and "runner " in line
    )


# --- web restart ---------------------------------------------------------------------------


def test_web_restart_under_live_readers(
    api: APIClient, setup: dict[str, Any], start_workers: Callable[..., Any], daphne: Daphne
) -> None:
    lines = 300
    start_workers(workers=2)
    ids = start_jobs(api, setup, lines, 0.05)
    followers = [Follower(daphne.url, job_id, setup["token"]) for job_id in ids]

    def kill_and_restart() -> None:
        time.sleep(4)
        assert daphne.proc is not None
        daphne.proc.kill()  # SIGKILL: no clean close for anyone
        daphne.proc.wait()
        time.sleep(2)
        daphne.start()

    started = time.monotonic()
    faults.follow_all(followers, timeout=180, during=kill_and_restart)
    figures = check_exact(ids, followers, lines)
    reconnects = sum(f.connects - 1 for f in followers)
    print(
        f"\nweb restart: {JOBS} jobs x {lines} lines, {JOBS} websocket clients, daphne "
        f"SIGKILLed and restarted: reconnects {reconnects}, {figures} "
        f"({time.monotonic() - started:.0f} s)"
    )
    assert all(f.connects >= 2 for f in followers), "a client never saw the restart"
    assert figures == dict.fromkeys(figures, 0)


# --- Redis down --------------------------------------------------------------------------------


@server_mode
def test_redis_down_for_30_seconds(
    api: APIClient, setup: dict[str, Any], start_workers: Callable[..., Any], daphne: Daphne
) -> None:
    lines, outage = 380, 30.0
    workers = start_workers(workers=2)
    ids = start_jobs(api, setup, lines, 0.1)
    starts_before = runner_starts(workers)
    followers = [Follower(daphne.url, job_id, setup["token"]) for job_id in ids]
    during_outage: list[int] = []

    def redis_down() -> None:
        time.sleep(3)
        faults.stop_redis()
        deadline = time.monotonic() + outage
        while time.monotonic() < deadline:
            during_outage.append(LogChunk.objects.filter(job_id__in=ids).count())
            time.sleep(5)
        faults.start_redis()

    started = time.monotonic()
    faults.follow_all(followers, timeout=240, during=redis_down)
    faults.wait_until(lambda: faults.all_ended(ids), "the jobs to end", timeout=120)
    figures = check_exact(ids, followers, lines)
    restarts = runner_starts(workers) - starts_before
    persisted = during_outage[-1] - during_outage[0]
    print(
        f"\nRedis down {outage:.0f} s during {JOBS} live jobs: {persisted} chunks persisted "
        f"while it was down, runner restarts {restarts}, reconnects "
        f"{sum(f.connects - 1 for f in followers)}, {figures} ({time.monotonic() - started:.0f} s)"
    )
    assert persisted > 0, "nothing was persisted while Redis was down"
    assert restarts <= 1, "runners crash-looped while Redis was down"
    assert figures == dict.fromkeys(figures, 0)


# --- database restart -----------------------------------------------------------------------------


@server_mode
def test_database_restart(
    api: APIClient, setup: dict[str, Any], start_workers: Callable[..., Any], daphne: Daphne
) -> None:
    lines, down = 200, 10.0
    start_workers(workers=2)
    ids = start_jobs(api, setup, lines, 0.1)
    followers = [Follower(daphne.url, job_id, setup["token"]) for job_id in ids]

    def restart() -> None:
        time.sleep(3)
        faults.restart_postgres(down)

    started = time.monotonic()
    faults.follow_all(followers, timeout=240, during=restart)
    faults.wait_until(lambda: db_retry(lambda: faults.all_ended(ids)), "the jobs to end", 120)
    figures = check_exact(ids, followers, lines)
    print(
        f"\ndatabase restart ({down:.0f} s down) during {JOBS} live jobs: failed jobs 0, "
        f"{figures} ({time.monotonic() - started:.0f} s)"
    )
    assert figures == dict.fromkeys(figures, 0)


# --- connection dropped during result collection ------------------------------------------------


def test_connection_dropped_during_result_collection(
    api: APIClient, owner: Any, tmp_path: Any, start_workers: Callable[..., Any]
) -> None:
    """The job's connection is killed (its `sshd: user@notty` process) while the runner
    copies its 1,000 result files: it reconnects and collects the rest, skipping what it
    stored, and the job ends as its program did."""
    results = 1000
    program = (
        "import os\nos.makedirs('out')\n"
        f"for i in range({results}):\n"
        "    open(f'out/r{i:04d}.txt', 'w').write(f'result {i}\\n' * 100)\n"
    )
    with Sshd(tmp_path / "sshd") as host:
        server = ssh_server(host, name="collect", max_concurrent_jobs=5)
        credential = key_credential(owner, server, host)
        start_workers(workers=1)
        job_id = faults.submit(api, server, credential, program, result_patterns=["out/*.txt"])
        stored = Result.objects.filter(job_id=job_id).count
        faults.wait_until(lambda: stored() >= 100, "result collection under way", timeout=180)
        killed = host.drop_connections()
        at_cut = stored()
        faults.wait_until(lambda: faults.all_ended([job_id]), "the job to end", timeout=180)
    job = Job.objects.get(pk=job_id)
    sizes = dict(Result.objects.filter(job_id=job_id).values_list("path", "size"))
    print(
        f"\nconnection killed during collection of {results:,} results ({killed} connection(s) "
        f"killed, {at_cut} stored at the cut): {job.status}, exit {job.exit_code}, "
        f"{len(sizes):,} results, error {job.error!r}"
    )
    assert killed >= 1 and at_cut < results
    assert (job.status, job.exit_code, job.error) == ("succeeded", 0, "")
    assert sizes == {f"out/r{i:04d}.txt": len(f"result {i}\n") * 100 for i in range(results)}


# --- SSH link cut ------------------------------------------------------------------------------------


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def netns_sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    """sshd inside a network namespace, reached over a veth pair with link-local addresses
    (docs/reliability.md "Network faults in tests"); `ip link set <host side> down` cuts the link."""
    import tests.fixtures.sshd as sshd_module

    tag = os.getpid() % 10000
    ns, outside, inside = f"drs-chaos-{tag}", f"dch{tag}a", f"dch{tag}b"
    subnet = 1 + os.getpid() % 250
    host, peer = f"169.254.{subnet}.1", f"169.254.{subnet}.2"
    ip("netns", "add", ns)
    try:
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", ns)
        ip("addr", "add", f"{host}/30", "dev", outside)
        ip("link", "set", outside, "up")
        ip("netns", "exec", ns, "ip", "addr", "add", f"{peer}/30", "dev", inside)
        ip("netns", "exec", ns, "ip", "link", "set", inside, "up")
        ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")
        directory = tmp_path_factory.mktemp("netns-sshd")
        wrapper = directory / "sshd-in-netns"
        wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {ns} {sshd_module.SSHD} "$@"\n')
        wrapper.chmod(0o755)
        server = Sshd(directory / "sshd")
        server.host = peer
        original, sshd_module.SSHD = sshd_module.SSHD, str(wrapper)
        try:
            server.start()
        finally:
            sshd_module.SSHD = original
        server.link = outside  # type: ignore[attr-defined]
        yield server
        server.stop()
    finally:
        # Jobs cancelled or lost during a cut may still run in there: end them with it.
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
        for pid in pids.stdout.split():
            with contextlib.suppress(OSError):
                os.kill(int(pid), 9)
        subprocess.run(["ip", "link", "del", outside], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def cut(sshd: Sshd) -> None:
    ip("link", "set", sshd.link, "down")  # type: ignore[attr-defined]


def restore(sshd: Sshd) -> None:
    ip("link", "set", sshd.link, "up")  # type: ignore[attr-defined]


NETNS_ENV = {
    "DRS_ALLOWED_SSH_NETWORKS": "127.0.0.0/8,169.254.0.0/16",
    "DRS_SSH_KEEPALIVE_SECONDS": "1",
}


@pytest.fixture
def netns_setup(owner: Any, netns_sshd: Sshd, settings: Any) -> dict[str, Any]:
    import ipaddress

    settings.DRS_ALLOWED_SSH_NETWORKS = [ipaddress.ip_network("169.254.0.0/16")]
    server = ssh_server(netns_sshd, name="netns", max_concurrent_jobs=50)
    return {"server": server, "credential": key_credential(owner, server, netns_sshd)}


def test_ssh_link_cut_for_60_seconds(
    api: APIClient,
    netns_setup: dict[str, Any],
    netns_sshd: Sshd,
    start_workers: Callable[..., Any],
) -> None:
    """A 60 s cut mid-job: the job reattaches and its log is byte-exact; a job cancelled
    during the cut ends `cancelled`."""
    lines, cut_seconds = 650, 60.0
    start_workers(workers=1, extra_env=NETNS_ENV | {"DRS_SSH_GIVE_UP_SECONDS": "180"})
    server, credential = netns_setup["server"], netns_setup["credential"]
    printing = faults.submit(api, server, credential, faults.numbered_program(lines, 0.1))
    cancelled = faults.submit(api, server, credential, faults.numbered_program(100000, 0.1))
    faults.wait_until(lambda: faults.all_running([printing, cancelled]), "both jobs running")
    time.sleep(3)
    before = Job.objects.get(pk=printing).stdout_offset
    started = time.monotonic()
    cut(netns_sshd)
    try:
        time.sleep(5)
        assert api.post(f"/api/jobs/{cancelled}/cancel/").status_code == 202
        time.sleep(cut_seconds - 5)
    finally:
        restore(netns_sshd)
    faults.wait_until(lambda: faults.all_ended([printing, cancelled]), "both jobs to end", 180)
    took = time.monotonic() - started
    job = Job.objects.get(pk=printing)
    stored = faults.stored_log(printing)
    gaps, repeats = faults.stored_gaps_and_repeats(printing)
    other = Job.objects.get(pk=cancelled)
    print(
        f"\nSSH link cut {cut_seconds:.0f} s mid-job: {job.status}, {len(stored)} bytes stored "
        f"({before} before the cut), stored gaps {gaps}, repeats {repeats}, byte-exact "
        f"{stored == faults.expected_output(lines)}; cancelled during the cut: {other.status} "
        f"({other.error!r}); {took:.0f} s from cut to both ended"
    )
    assert job.status == "succeeded", job.error
    assert stored == faults.expected_output(lines) and (gaps, repeats) == (0, 0)
    assert other.status == "cancelled", (other.status, other.error)


def test_ssh_cut_longer_than_give_up_ends_lost(
    api: APIClient,
    netns_setup: dict[str, Any],
    netns_sshd: Sshd,
    start_workers: Callable[..., Any],
) -> None:
    give_up = 8
    start_workers(workers=1, extra_env=NETNS_ENV | {"DRS_SSH_GIVE_UP_SECONDS": str(give_up)})
    job_id = faults.submit(
        api, netns_setup["server"], netns_setup["credential"], faults.numbered_program(100000, 0.1)
    )
    faults.wait_until(lambda: faults.all_running([job_id]), "the job running")
    started = time.monotonic()
    cut(netns_sshd)
    try:
        faults.wait_until(lambda: faults.all_ended([job_id]), "the job to end lost", 120)
    finally:
        restore(netns_sshd)
    job = Job.objects.get(pk=job_id)
    print(
        f"\nSSH cut longer than DRS_SSH_GIVE_UP_SECONDS={give_up}: {job.status} after "
        f"{time.monotonic() - started:.0f} s, error {job.error!r}"
    )
    assert job.status == "lost", (job.status, job.error)
    assert job.error
