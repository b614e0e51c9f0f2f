"""A runner process: one asyncio loop that drives many jobs at once.

It takes job ids from the dispatch queue, claims their leases and runs each as a task
(`JobRun`); the periodic work for all of them is one tick: lease renewal and the cancel
check (one query), timeouts, the reaper scan, idle connections, the heartbeat. Database
work runs in one thread (asgiref's thread-sensitive executor), so the process holds one
database connection whatever the number of jobs. A graceful stop releases every lease
at once, so another runner reattaches within seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import asyncssh
import redis
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

from drs.jobs import lifecycle
from drs.jobs.choices import JobStatus
from drs.jobs.events import anotify_job_changed
from drs.jobs.models import Job
from drs.runner import dispatch, heartbeat, lease
from drs.runner.jobrun import JobRun
from drs.runner.logsink import Persister
from drs.runner.pool import ConnectionPool, Link, PoolKey
from drs.runner.remote import LocalRemote, Remote, SshRemote
from drs.runner.ssh import open_connection
from drs.servers.choices import ServerKind

log = logging.getLogger(__name__)
T = TypeVar("T")

TICK_SECONDS = 1.0  # cancel requests and timeouts are acted on within about this
HEARTBEAT_SECONDS = 5.0
SCAN_SECONDS = 5.0


def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return fn(*args, **kwargs)
    except (OperationalError, InterfaceError):
        # The database restarted or the connection broke: reconnect on the next call.
        connections.close_all()
        raise


async def db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ORM work in the process's one database thread."""
    return await sync_to_async(_call, thread_sensitive=True)(fn, *args, **kwargs)


class Runner:
    def __init__(self) -> None:
        self.owner = lease.new_lease_owner()
        self.db = db
        self.pool = ConnectionPool()
        self.persister = Persister(self.owner, db)
        self.persister.on_lost = self._lease_lost
        self.runs: dict[str, JobRun] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.lost_leases: set[str] = set()
        self.redis = dispatch.async_client()
        self._background: list[asyncio.Task[None]] = []
        self._claims: set[asyncio.Task[None]] = set()

    # --- lifetime --------------------------------------------------------------------------

    def start(self, *, listen: bool = True) -> None:
        spawn = asyncio.create_task
        self._background = [spawn(self.persister.run(), name="drs-persister"), spawn(self.tick())]
        if listen:
            self._background.append(spawn(self.listen(), name="drs-dispatch"))

    async def close(self, *, release: bool = True) -> None:
        """Stop every job task (the jobs go on running remotely) and hand them back."""
        for task in self.tasks.values():
            task.cancel()
        for task in list(self.tasks.values()):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for task in self._background:
            task.cancel()
        for task in self._background:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.persister.close()
        if release:
            with contextlib.suppress(Exception):
                ids = await db(lease.release_all, self.owner)
                if ids:
                    log.info("released %d job(s) for another runner", len(ids))
                    await dispatch.adispatch(self.redis, ids)
            with contextlib.suppress(Exception):
                await db(heartbeat.forget, self.owner)
        await self.pool.close()
        with contextlib.suppress(Exception):
            await self.redis.aclose()
        await sync_to_async(connections.close_all, thread_sensitive=True)()

    # --- taking jobs -------------------------------------------------------------------------

    async def take(self, job_id: str) -> bool:
        """Claim a dispatched job and start following it; False if another has it."""
        if job_id in self.tasks:
            return True
        won, others = await db(lease.admit_and_claim, job_id, self.owner)
        if others and not await dispatch.adispatch(self.redis, others):
            for other in others:
                await self.take(other)
        if not won:
            return False
        job = await db(
            lambda: Job.objects.select_related("server", "credential", "interpreter", "owner").get(
                pk=job_id
            )
        )
        self.lost_leases.discard(job_id)
        if job.status == JobStatus.STARTING:
            # Awaited, so that watchers never see `starting` after `running`.
            await anotify_job_changed(job_id)
        refusal = self._refusal(job)
        if refusal:
            if await db(
                lifecycle.finish, job_id, self.owner, status=JobStatus.FAILED, error=refusal
            ):
                await anotify_job_changed(job_id)
                await self.admit_next(job.server_id)
            return True
        link = self.link_for(job)
        link.users += 1
        run = JobRun(self, job, link)
        self.runs[job_id] = run
        self.tasks[job_id] = asyncio.create_task(self._run(run), name=f"job-{job_id}")
        return True

    @staticmethod
    def _refusal(job: Job) -> str:
        if job.server.kind == ServerKind.LOCAL:
            if not settings.DRS_ENABLE_LOCAL:
                return "Local servers are disabled on this installation (DRS_ENABLE_LOCAL)."
            if not job.owner.is_staff:
                return "Only staff may run jobs on a local server."
        elif job.credential is None:
            return "The job's credential was deleted; nothing was run."
        elif job.credential.owner_id != job.owner_id:
            return "The job's credential belongs to another user; nothing was run."
        return ""

    async def _run(self, run: JobRun) -> None:
        try:
            await run.run()
        except asyncio.CancelledError:
            raise
        except Exception:
            # The one broad handler: a runner bug ends the job as failed, and its processes
            # are not left running unobserved on the host.
            log.exception("job %s: unexpected runner error", run.job_id)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(run.signal_group("KILL"), 30)
            with contextlib.suppress(Exception):
                await run.end(
                    JobStatus.FAILED,
                    "Internal runner error: DRS stopped the job. See the runner log.",
                )
        finally:
            self.runs.pop(run.job_id, None)
            self.tasks.pop(run.job_id, None)

    def link_for(self, job: Job) -> Link:
        server, credential = job.server, job.credential
        key = PoolKey(server.pk, credential.pk if credential else None, server.host_key.strip())

        async def opener() -> Remote:
            if server.kind == ServerKind.LOCAL:
                return LocalRemote()
            assert credential is not None
            secrets = await db(credential.get_secrets)
            conn = await open_connection(
                server, username=credential.username, kind=credential.kind, secrets=secrets
            )
            return SshRemote(conn, settings.DRS_SSH_MAX_SESSIONS)

        return self.pool.link(key, opener)

    async def admit_next(self, server_id: int) -> None:
        ids = await db(lease.reserve_slots, server_id)
        if ids and not await dispatch.adispatch(self.redis, ids):
            for job_id in ids:
                await self.take(job_id)

    def _lease_lost(self, job_id: str) -> None:
        self.lost_leases.add(job_id)
        run = self.runs.get(job_id)
        if run is not None:
            run.wake.set()

    # --- the tick ----------------------------------------------------------------------------

    async def tick(self) -> None:
        renew_every = max(1.0, settings.DRS_LEASE_SECONDS / 3)
        next_renew = next_beat = 0.0
        next_scan = time.monotonic() + random.uniform(0, SCAN_SECONDS)
        while True:
            now = time.monotonic()
            try:
                await self._check_jobs(renew=now >= next_renew)
                if now >= next_renew:
                    next_renew = now + renew_every
                if now >= next_beat:
                    next_beat = now + HEARTBEAT_SECONDS
                    await db(heartbeat.beat, self.owner, jobs=len(self.runs))
                    await self.pool.sweep()
                if now >= next_scan:
                    next_scan = now + SCAN_SECONDS * random.uniform(0.8, 1.2)
                    await self.scan()
            except (OperationalError, InterfaceError) as exc:
                log.warning("runner tick: database unavailable (%s)", exc)
            except (OSError, asyncssh.Error, redis.RedisError) as exc:
                log.warning("runner tick: %s", exc)
            await asyncio.sleep(TICK_SECONDS)

    async def _check_jobs(self, *, renew: bool) -> None:
        ids = [job_id for job_id, run in self.runs.items() if not run.finishing]
        if not ids and not renew:
            return
        held = await db(lease.renew_and_check, self.owner, ids, renew=renew)
        for job_id in ids:
            run = self.runs.get(job_id)
            if run is None or run.finishing:
                continue
            if job_id not in held:
                self._lease_lost(job_id)
            elif held[job_id] is not None:
                run.request_stop(JobStatus.CANCELLED)
            elif run.deadline_passed():
                run.request_stop(JobStatus.TIMED_OUT)

    async def scan(self) -> None:
        """The reaper: claim work nobody does (expired or released leases, admissible
        queued jobs). Dispatched through the queue so idle runners share it."""
        found = await db(lease.reap)
        found = [job_id for job_id in found if job_id not in self.tasks]
        if found and not await dispatch.adispatch(self.redis, found):
            for job_id in found:
                await self.take(job_id)

    # --- the dispatch queue --------------------------------------------------------------------

    async def listen(self) -> None:
        backoff = 0.5
        while True:
            try:
                item = await self.redis.brpop([dispatch.queue_key()], timeout=5)
                backoff = 0.5
            except (redis.RedisError, OSError) as exc:
                log.warning("dispatch queue unavailable (%s); the reaper scan covers it", exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
                continue
            if item is None:
                continue
            raw = item[1]
            job_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            # Keep a reference: the loop holds tasks only weakly.
            task = asyncio.create_task(self._take_logged(job_id))
            self._claims.add(task)
            task.add_done_callback(self._claims.discard)

    async def _take_logged(self, job_id: str) -> None:
        try:
            await self.take(job_id)
        except (OperationalError, InterfaceError) as exc:
            log.warning("job %s: could not claim (%s); the reaper will retry", job_id, exc)
        except Exception:
            log.exception("job %s: claiming failed", job_id)


async def run_to_end(job_id: str) -> None:
    """Run one job to its end in a private runner (tests, and `manage.py runjob`)."""
    runner = Runner()
    runner.start(listen=False)
    try:
        if await runner.take(str(job_id)):
            task = runner.tasks.get(str(job_id))
            if task is not None:
                await task
    finally:
        await runner.close(release=True)


def run_job(job_id: str) -> None:
    """Synchronous `run_to_end`; database work runs in the calling thread."""
    async_to_sync(run_to_end)(str(job_id))
