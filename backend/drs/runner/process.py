"""A runner process: one asyncio loop that drives many jobs at once.

It takes job ids from the dispatch queue, claims their leases and runs each as a task
(`JobRun`). A cancel request arrives as a pub/sub hint and is acted on at once; the
periodic work for all jobs is one tick that sleeps until the next thing is due: the
fallback cancel check and lease renewal (one query), the reaper scan (one runner of the
installation per period), idle connections, the heartbeat. Timeouts are each job's own
timer (`JobRun.follow`), without the database. Database
work runs in one thread (asgiref's thread-sensitive executor), and on PostgreSQL the
persister's in a second one, so the process holds at most two database connections
whatever the number of jobs. A graceful stop releases every lease
at once, so another runner reattaches within seconds."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncssh
import redis
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction

from drs.jobs import dispatch, lifecycle
from drs.jobs.choices import JobStatus
from drs.jobs.events import anotify_job_changed
from drs.jobs.models import Job
from drs.jobs.rules import Stage, job_refusal
from drs.runner import heartbeat, lease, sql
from drs.runner.batchrun import BatchJobRun
from drs.runner.jobrun import JobRun, RunContext, job_directory
from drs.runner.logsink import Persister
from drs.runner.pool import ConnectionPool, Link, PoolKey
from drs.runner.remote import LocalRemote, Remote, SshRemote
from drs.runner.ssh import open_connection
from drs.servers.choices import SchedulerKind, ServerKind

log = logging.getLogger(__name__)
T = TypeVar("T")

# A cancel hint is acted on at once; this check catches a lost one (and lost leases).
CHECK_SECONDS = 5.0
HEARTBEAT_SECONDS = 15.0  # at most; a quarter of DRS_HEALTH_HEARTBEAT_MAX_AGE if lower
SWEEP_SECONDS = 5.0  # idle connections, silent follower agents
SCAN_SECONDS = 5.0  # the reaper, once per period for the whole installation
RETRY_SECONDS = 1.0  # after a failed tick step (database or Redis down)


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


@dataclass
class Claimed:
    """What taking a dispatched job found: the job if this process won it, the other jobs
    its admission reserved (to dispatch), why it may not start ("" if it may), and
    whether its first start's directory was recorded with the claim."""

    job: Job | None
    others: list[str]
    refusal: str = ""
    directory_recorded: bool = False


def claim_and_load(job_id: str, owner: str) -> Claimed:
    """Admit and claim, read the job if won and, for a direct job's first start, record
    its directory: one trip to the database thread and one commit on every start's path
    (each commit waits for the WAL to reach the disk)."""
    with transaction.atomic():
        won, others = lease.admit_and_claim(job_id, owner)
        if not won:
            return Claimed(None, others)
        related = ("server", "credential", "interpreter", "owner")
        job = Job.objects.select_related(*related).get(pk=job_id)
        refusal = start_refusal(job)
        first_start = (
            not refusal
            and job.server.scheduler == SchedulerKind.DIRECT
            and not job.remote_directory
            and job.remote_pgid is None
            and job.status == JobStatus.STARTING
            and job.cancel_requested_at is None
        )
        if first_start:
            # Recorded before anything is created there, as JobRun.ensure_directory does.
            directory = job_directory(job)
            first_start = lifecycle.set_directory(job_id, owner, directory)
            if first_start:
                job.remote_directory = directory
    return Claimed(job, others, refusal, first_start)


def start_refusal(job: Job) -> str:
    """Why a claimed job may not start (drs.jobs.rules at START), or ""."""
    refusal = job_refusal(
        owner=job.owner,
        server=job.server,
        credential=job.credential,
        stage=Stage.START,
        started=bool(job.remote_directory),
    )
    return refusal.message if refusal is not None else ""


class DbThread:
    """ORM work in a thread of its own, so on a database connection of its own."""

    def __init__(self, name: str) -> None:
        self.executor = ThreadPoolExecutor(1, thread_name_prefix=name)

    async def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.executor, functools.partial(_call, fn, *args, **kwargs)
        )

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self(connections.close_all)
        self.executor.shutdown(wait=False)


class Runner:
    def __init__(self) -> None:
        self.owner = lease.new_lease_owner()
        self.db = db
        self.pool = ConnectionPool()
        # Log chunks commit on their own connection (PostgreSQL): when a hundred jobs end
        # at once, their status writes would otherwise queue ahead of the flush that
        # carries their last lines. SQLite keeps one writer.
        self.persist_db = DbThread("drs-persist") if sql.postgresql() else None
        self.persister = Persister(self.owner, self.persist_db or db)
        self.persister.on_lost = self._lease_lost
        self.persister.on_failed = self._sink_failed
        self.runs: dict[str, JobRun] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.lost_leases: set[str] = set()
        self.context = RunContext(
            owner=self.owner,
            db=db,
            persister=self.persister,
            lost_leases=self.lost_leases,
            admit_next=self.admit_next,
        )
        self.redis = dispatch.async_client()
        self._background: list[asyncio.Task[None]] = []
        self._claims: set[asyncio.Task[None]] = set()

    # --- lifetime --------------------------------------------------------------------------

    def start(self, *, listen: bool = True) -> None:
        spawn = asyncio.create_task
        self._background = [spawn(self.persister.run(), name="drs-persister"), spawn(self.tick())]
        self._background.append(spawn(self.cancel_hints(), name="drs-cancel-hints"))
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
            # redis-py's blocking pub/sub read can swallow a cancel that lands at the
            # wrong moment (seen with 8.1): cancel again until the task ends.
            while not task.done():
                await asyncio.wait({task}, timeout=0.5)
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.persister.close()
        if self.persist_db is not None:
            await self.persist_db.close()
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
        claimed = await db(claim_and_load, job_id, self.owner)
        job, others = claimed.job, claimed.others
        if others and not await dispatch.adispatch(self.redis, others):
            for other in others:
                await self.take(other)
        if job is None:
            return False
        self.lost_leases.discard(job_id)
        if claimed.refusal:
            if job.status == JobStatus.STARTING:
                await asyncio.gather(anotify_job_changed(job_id, job=job), return_exceptions=True)
            if await db(
                lifecycle.finish, job_id, self.owner, status=JobStatus.FAILED, error=claimed.refusal
            ):
                await anotify_job_changed(job_id)
                await self.admit_next(job.server_id)
            return True
        link = self.link_for(job)
        link.users += 1
        kind = BatchJobRun if job.server.scheduler != SchedulerKind.DIRECT else JobRun
        run = kind(self.context, job, link, first_start=claimed.directory_recorded)
        self.runs[job_id] = run
        self.tasks[job_id] = asyncio.create_task(self._run(run), name=f"job-{job_id}")
        if job.status == JobStatus.STARTING:
            # Scheduled after the run, so its launch request goes out before this event is
            # serialized; the run awaits it before it publishes a later status, so
            # watchers never see `starting` after `running`.
            run.announced = asyncio.create_task(anotify_job_changed(job_id, job=job))
        return True

    async def _run(self, run: JobRun) -> None:
        try:
            await run.run()
        except Exception:  # not CancelledError, a BaseException
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

    def _sink_failed(self, job_id: str, exc: BaseException) -> None:
        run = self.runs.get(job_id)
        if run is not None:
            run.wake.set()  # its follow loop raises the sink's failure

    # --- the tick ----------------------------------------------------------------------------

    async def tick(self) -> None:
        """The periodic work of all jobs; it sleeps until the next step is due."""
        renew_every = max(1.0, settings.DRS_LEASE_SECONDS / 3)
        beat_every = min(HEARTBEAT_SECONDS, settings.DRS_HEALTH_HEARTBEAT_MAX_AGE / 4)
        now = time.monotonic()
        next_check = next_renew = next_beat = next_sweep = now
        next_scan = now + random.uniform(0, SCAN_SECONDS)
        while True:
            now = time.monotonic()
            delay = 0.0
            try:
                if now >= next_check or now >= next_renew:
                    renew = now >= next_renew
                    await self._check_jobs(renew=renew)
                    next_check = now + CHECK_SECONDS
                    if renew:
                        next_renew = now + renew_every
                if now >= next_beat:
                    await db(heartbeat.beat, self.owner, jobs=len(self.runs))
                    next_beat = now + beat_every
                if now >= next_sweep:
                    await self.pool.sweep()
                    next_sweep = now + SWEEP_SECONDS
                if now >= next_scan:
                    await self.scan()
                    next_scan = now + SCAN_SECONDS * random.uniform(0.9, 1.1)
            except (OperationalError, InterfaceError) as exc:
                log.warning("runner tick: database unavailable (%s)", exc)
                delay = RETRY_SECONDS
            except (OSError, asyncssh.Error, redis.RedisError) as exc:
                log.warning("runner tick: %s", exc)
                delay = RETRY_SECONDS
            due = min(next_check, next_renew, next_beat, next_sweep, next_scan)
            await asyncio.sleep(max(delay, due - time.monotonic(), 0.01))

    async def _check_jobs(self, *, renew: bool, only: list[str] | None = None) -> None:
        """Renew the leases (when due) and find cancel requests and lost leases of this
        process's jobs (or of `only`), in one query; the deadline check is local."""
        ids = [
            job_id
            for job_id, run in self.runs.items()
            if not run.finishing and (only is None or job_id in only)
        ]
        if not ids and not (renew and self.runs):
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
        queued jobs). Dispatched through the queue so idle runners share it. One runner
        of the installation scans per period (a Redis token); without Redis, each does."""
        with contextlib.suppress(redis.RedisError, OSError):
            key = f"{dispatch.queue_key()}:scan"
            if not await self.redis.set(key, self.owner, nx=True, px=int(SCAN_SECONDS * 900)):
                return
        found = await db(lease.reap)
        found = [job_id for job_id in found if job_id not in self.tasks]
        if found and not await dispatch.adispatch(self.redis, found):
            for job_id in found:
                await self.take(job_id)

    # --- cancel hints ----------------------------------------------------------------------------

    async def cancel_hints(self) -> None:
        """Act on a cancel as soon as it is requested: every runner hears the job id, the
        one holding the job confirms the request in the database and stops it. After a
        (re)subscription the database is checked at once: hints may have been missed."""
        backoff = 0.5
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(dispatch.cancel_channel())
                backoff = 0.5
                await self._check_jobs(renew=False)
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is None or message.get("type") != "message":
                        continue
                    raw = message["data"]
                    job_id = raw.decode() if isinstance(raw, bytes) else str(raw)
                    if job_id in self.runs:
                        await self._check_jobs(renew=False, only=[job_id])
            except (redis.RedisError, OSError) as exc:
                log.warning("cancel hints unavailable (%s); the periodic check covers it", exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
            except (OperationalError, InterfaceError) as exc:
                log.warning("cancel hint: database unavailable (%s)", exc)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    # --- the dispatch queue --------------------------------------------------------------------

    async def listen(self) -> None:
        backoff = 0.5
        while True:
            try:
                item = await self.redis.brpop(
                    [dispatch.queue_key()], timeout=dispatch.BRPOP_SECONDS
                )
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
