"""One django-q2 task = one job's lifecycle: admit, claim the lease, connect, upload,
start detached, follow, stop (cancel/timeout), collect results, finish.

A task that finds the job finished, or leased by a live worker, returns at once; a task
for a job whose worker died reattaches from the stored offsets (DESIGN.md, protocol 7)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

import asyncssh
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from drs.jobs.choices import TERMINAL_STATUSES, JobStatus, LogPolicy, Stream
from drs.jobs.models import Job
from drs.runner import lease
from drs.runner.follow import parse_int, poll_once
from drs.runner.logsink import LeaseLost, LogSink, PendingChunk, persist_chunks
from drs.runner.remote import (
    LocalRemote,
    Remote,
    SshRemote,
    job_command,
    kill_script,
    launch_script,
    mkdir_script,
)
from drs.runner.results import collect_results
from drs.runner.ssh import ConnectError, HostKeyError, open_connection
from drs.servers.choices import ServerKind

log = logging.getLogger(__name__)

POLL_MIN = 0.05
POLL_MAX = 0.15
CONTROL_EVERY = 0.5  # cancel/timeout checks: a cancel is acted on within about a second
DIR_CHECK_EVERY = 5.0
RECONNECT_BACKOFF = (0.5, 1, 2, 4, 8, 15, 30)
START_WAIT_SECONDS = 30


class JobFailed(Exception):
    """End the job as failed with this human message."""

    def __init__(self, message: str, status: str = JobStatus.FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# --- entry point --------------------------------------------------------------------------


def run_job(job_id: str) -> None:
    job_id = str(job_id)
    try:
        row = Job.objects.filter(pk=job_id).values("status", "server_id").first()
        if row is None or row["status"] in TERMINAL_STATUSES:
            return
        server_id = row["server_id"]
        if row["status"] == JobStatus.QUEUED:
            admit(server_id, me=job_id)
        owner = lease.new_lease_owner()
        if not lease.claim(job_id, owner):
            return  # still queued (no free slot), or another live worker has it
        try:
            asyncio.run(JobRun(job_id, owner).run())
        except LeaseLost:
            log.warning("job %s: lease lost to another worker; stopping here", job_id)
        except DatabaseError:
            # The remote job is fine; our database is not (locked, restarting). Let the
            # lease lapse: the reaper hands the job to a new task that resumes from the
            # stored offsets, instead of failing a job that is still running.
            log.exception("job %s: database error; leaving it to the reaper", job_id)
            with contextlib.suppress(DatabaseError):
                lease.release(job_id, owner)
            return
        except Exception:
            # The one broad handler: anything unexpected ends the job as failed.
            log.exception("job %s: unexpected runner error", job_id)
            finish(
                job_id,
                owner,
                status=JobStatus.FAILED,
                error="Internal runner error: DRS stopped the job. See the worker log.",
            )
        admit(server_id)
    finally:
        close_old_connections()


def admit(server_id: int, me: str | None = None) -> None:
    """Reserve free slots of the server for its oldest queued jobs and enqueue them."""
    from drs.jobs.events import notify_job_changed
    from drs.jobs.tasks import enqueue_job

    for reserved in lease.reserve_slots(server_id):
        job = Job.objects.only("pk", "owner_id").get(pk=reserved)
        notify_job_changed(job)
        if reserved != me:
            enqueue_job(reserved)


def finish(
    job_id: str | UUID,
    owner: str,
    *,
    status: str,
    error: str = "",
    exit_code: int | None = None,
    signal_name: str = "",
) -> bool:
    from drs.jobs.events import notify_job_changed

    now = timezone.now()
    done = (
        Job.objects.filter(pk=job_id, lease_owner=owner)
        .exclude(status__in=TERMINAL_STATUSES)
        .update(
            status=status,
            error=error,
            exit_code=exit_code,
            signal=signal_name,
            finished_at=now,
            lease_owner="",
            lease_expires_at=None,
            heartbeat_at=now,
        )
    )
    if done:
        notify_job_changed(Job.objects.only("pk", "owner_id").get(pk=job_id))
    return done == 1


def describe_exit(code: int) -> tuple[str, str]:
    """(signal name, human error) for a non-zero exit status recorded by the wrapper."""
    if 128 < code < 128 + 65:
        with contextlib.suppress(ValueError):
            name = signal.Signals(code - 128).name
            return name, f"Killed by {name} (exit status {code})."
    return "", f"Exited with code {code}."


# --- one run --------------------------------------------------------------------------------


@dataclass
class JobRun:
    job_id: str
    owner: str
    job: Job = field(init=False)
    remote: Remote | None = None
    lease_lost: asyncio.Event = field(default_factory=asyncio.Event)
    stop_reason: str = ""  # JobStatus.CANCELLED or TIMED_OUT once we decided to stop it
    term_sent_at: float | None = None
    kill_sent: bool = False

    async def run(self) -> None:
        self.job = await Job.objects.select_related("server", "credential", "interpreter").aget(
            pk=self.job_id
        )
        heartbeat = asyncio.create_task(self.heartbeat())
        try:
            await self.lifecycle()
        except JobFailed as exc:
            await sync_to_async(finish)(
                self.job_id, self.owner, status=exc.status, error=exc.message
            )
        except (LeaseLost, DatabaseError):
            raise  # the job itself is fine: another worker (or a later one) follows it
        except Exception:
            # A runner bug: the job is about to be marked failed, so do not leave its
            # processes running unobserved on the host.
            if self.remote is not None and self.job.remote_pgid is not None:
                with contextlib.suppress(OSError, asyncssh.Error):
                    await self.signal_group("KILL")
            raise
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            if self.remote is not None:
                await self.remote.close()
            # ORM calls ran in asgiref's executor thread: do not leave its connection open.
            await sync_to_async(connections.close_all)()

    async def heartbeat(self) -> None:
        interval = max(1.0, settings.DRS_LEASE_SECONDS / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                renewed = await sync_to_async(lease.renew)(self.job_id, self.owner)
            except DatabaseError:
                # A blip: try again next time; the lease outlives a few missed renewals.
                log.warning("job %s: lease renewal failed; retrying", self.job_id, exc_info=True)
                continue
            if not renewed:
                self.lease_lost.set()
                return

    def check_lease(self) -> None:
        if self.lease_lost.is_set():
            raise LeaseLost(self.job_id)

    async def lifecycle(self) -> None:
        job = self.job
        launched = job.status == JobStatus.RUNNING or job.remote_pgid is not None
        if job.cancel_requested_at is not None and not launched and not job.remote_directory:
            raise JobFailed("Cancelled before it started.", JobStatus.CANCELLED)
        if job.credential is None and job.server.kind == ServerKind.SSH:
            raise JobFailed("The job's credential was deleted; nothing was run.")
        if job.server.kind == ServerKind.LOCAL and not settings.DRS_ENABLE_LOCAL:
            raise JobFailed("Local servers are disabled on this installation (DRS_ENABLE_LOCAL).")

        try:
            self.remote = await self.connect()
        except HostKeyError as exc:
            raise JobFailed(str(exc)) from None
        except ConnectError as exc:
            if not launched:
                raise JobFailed(f"Could not start: {exc}") from None
            self.remote = await self.reconnect()

        if not launched:
            await self.start()
        else:
            await self.reattach()
        await self.follow()

    # --- connecting ------------------------------------------------------------------------

    async def connect(self) -> Remote:
        server = self.job.server
        if server.kind == ServerKind.LOCAL:
            return LocalRemote()
        credential = self.job.credential
        assert credential is not None
        conn = await open_connection(
            server,
            username=credential.username,
            kind=credential.kind,
            secrets=await sync_to_async(credential.get_secrets)(),
        )
        return SshRemote(conn)

    async def reconnect(self) -> Remote:
        """Reconnect with backoff for as long as this worker holds the lease."""
        if self.remote is not None:
            await self.remote.close()
            self.remote = None
        attempt = 0
        while True:
            self.check_lease()
            delay = RECONNECT_BACKOFF[min(attempt, len(RECONNECT_BACKOFF) - 1)]
            attempt += 1
            await asyncio.sleep(delay)
            try:
                remote = await self.connect()
            except HostKeyError as exc:
                raise JobFailed(str(exc)) from None
            except ConnectError as exc:
                log.info("job %s: reconnect attempt %d failed: %s", self.job_id, attempt, exc)
                continue
            log.info("job %s: reconnected after %d attempt(s)", self.job_id, attempt)
            return remote

    # --- starting ----------------------------------------------------------------------------

    async def start(self) -> None:
        job, remote = self.job, self.remote
        assert remote is not None
        directory = job.remote_directory or self.default_directory()
        if not job.remote_directory:
            job.remote_directory = directory
            await Job.objects.filter(pk=job.pk, lease_owner=self.owner).aupdate(
                remote_directory=directory
            )
        argv = [*job.interpreter.argv, "./program", *[str(a) for a in job.arguments]]
        try:
            command = job_command(argv, {str(k): str(v) for k, v in job.environment.items()})
        except ValueError as exc:
            raise JobFailed(f"{exc}; nothing was run.") from None
        try:
            result = await remote.run(mkdir_script(directory))
            if result.exit_status != 0:
                raise JobFailed(
                    f"Could not create the job directory {directory}: "
                    f"{result.stderr.decode(errors='replace').strip()}"
                )
            await remote.write_file(f"{directory}/program", job.program.encode())
            result = await remote.run(launch_script(directory, command))
            if result.exit_status != 0:
                raise JobFailed(
                    f"Could not start the job: {result.stderr.decode(errors='replace').strip()}"
                )
            pgid = await self.wait_for_pgid(remote, directory)
        except (OSError, asyncssh.Error) as exc:
            raise JobFailed(f"Could not upload or start the program: {exc}") from None
        now = timezone.now()
        updated = await Job.objects.filter(pk=job.pk, lease_owner=self.owner).aupdate(
            status=JobStatus.RUNNING, started_at=now, remote_pgid=pgid, heartbeat_at=now
        )
        if not updated:
            raise LeaseLost(self.job_id)
        job.status, job.started_at, job.remote_pgid = JobStatus.RUNNING, now, pgid
        await self.notify()

    def default_directory(self) -> str:
        base = (self.job.server.jobs_directory or ".drs/jobs").rstrip("/")
        if base.startswith("~/"):
            base = base[2:]
        return f"{base}/{self.job.pk}"

    async def wait_for_pgid(self, remote: Remote, directory: str) -> int:
        deadline = time.monotonic() + START_WAIT_SECONDS
        while time.monotonic() < deadline:
            pgid = parse_int(await remote.read_file(f"{directory}/pgid"))
            if pgid is not None:
                return pgid
            await asyncio.sleep(0.02)
        raise JobFailed("The job did not start on the host (no process group id recorded).")

    async def reattach(self) -> None:
        """A new worker (or this one after a drop) picks up a launched job."""
        job = self.job
        while True:
            assert self.remote is not None
            try:
                pgid = parse_int(await self.remote.read_file(f"{job.remote_directory}/pgid"))
                break
            except (OSError, asyncssh.Error):
                self.remote = await self.reconnect()
        if pgid is None:
            if job.status == JobStatus.STARTING:
                # Died between recording the directory and launching: launch (idempotent).
                await self.start()
                return
            raise JobFailed(
                f"The job directory {job.remote_directory} vanished from the host.",
                JobStatus.LOST,
            )
        if job.status == JobStatus.STARTING:
            now = timezone.now()
            await Job.objects.filter(pk=job.pk, lease_owner=self.owner).aupdate(
                status=JobStatus.RUNNING, started_at=now, remote_pgid=pgid
            )
            job.status, job.started_at, job.remote_pgid = JobStatus.RUNNING, now, pgid
            await self.notify()

    # --- following -----------------------------------------------------------------------------

    async def follow(self) -> None:
        job = self.job
        directory = job.remote_directory
        live = job.log_policy == LogPolicy.LIVE
        sink = (
            LogSink(
                job_id=job.pk,
                lease_owner=self.owner,
                offsets={Stream.STDOUT: job.stdout_offset, Stream.STDERR: job.stderr_offset},
                last_seq=job.last_seq,
            )
            if live
            else None
        )
        interval = POLL_MIN
        next_control = 0.0
        next_dir_check = time.monotonic() + DIR_CHECK_EVERY
        while True:
            self.check_lease()
            assert self.remote is not None
            try:
                poll = await poll_once(self.remote, directory, sink)
                if poll.exit_code is not None:
                    if self.stop_reason and not self.kill_sent:
                        await self.send_kill()
                    if sink is not None:
                        await sink.flush(final=True)
                    await self.finalize(poll.exit_code)
                    return
                now = time.monotonic()
                if now >= next_control:
                    next_control = now + CONTROL_EVERY
                    await self.control()
                if now >= next_dir_check:
                    next_dir_check = now + DIR_CHECK_EVERY
                    if await self.remote.read_file(f"{directory}/pgid") is None:
                        raise JobFailed(
                            f"The job directory {directory} vanished from the host.",
                            JobStatus.LOST,
                        )
            except (OSError, asyncssh.Error) as exc:
                log.info("job %s: connection problem while following: %s", self.job_id, exc)
                self.remote = await self.reconnect()
                if await self.remote.read_file(f"{directory}/pgid") is None:
                    raise JobFailed(
                        f"The job directory {directory} vanished from the host.", JobStatus.LOST
                    ) from None
                continue
            if sink is not None and sink.due(drained=True):
                await sink.flush()
            interval = POLL_MIN if poll.got_bytes else min(POLL_MAX, interval * 1.5)
            wait = interval
            if sink is not None and (due_in := sink.seconds_until_due()) is not None:
                wait = min(wait, due_in)
            await asyncio.sleep(wait)

    async def control(self) -> None:
        """Cancel and timeout: TERM the process group, after the grace period KILL it."""
        if not self.stop_reason:
            cancel_at = (
                await Job.objects.filter(pk=self.job_id)
                .values_list("cancel_requested_at", flat=True)
                .afirst()
            )
            if cancel_at is not None:
                self.stop_reason = JobStatus.CANCELLED
            elif self.deadline_passed():
                self.stop_reason = JobStatus.TIMED_OUT
            if self.stop_reason:
                log.info("job %s: stopping (%s)", self.job_id, self.stop_reason)
                await self.signal_group("TERM")
                self.term_sent_at = time.monotonic()
        elif (
            not self.kill_sent
            and self.term_sent_at is not None
            and time.monotonic() - self.term_sent_at >= settings.DRS_CANCEL_GRACE_SECONDS
        ):
            await self.send_kill()

    def deadline_passed(self) -> bool:
        job = self.job
        if not job.timeout_seconds or job.started_at is None:
            return False
        started: datetime = job.started_at
        return timezone.now() >= started + timedelta(seconds=job.timeout_seconds)

    async def send_kill(self) -> None:
        await self.signal_group("KILL")
        self.kill_sent = True

    async def signal_group(self, name: str) -> None:
        assert self.remote is not None
        assert self.job.remote_pgid is not None
        await self.remote.run(kill_script(self.job.remote_pgid, name))

    # --- finishing -------------------------------------------------------------------------------

    async def finalize(self, code: int) -> None:
        job = self.job
        assert self.remote is not None
        if job.log_policy == LogPolicy.TOTAL:
            await self.store_total_log()
        notes = await collect_results(self.remote, job)
        signal_name, error = describe_exit(code) if code else ("", "")
        if self.stop_reason == JobStatus.CANCELLED:
            status, error = JobStatus.CANCELLED, "Cancelled by request."
        elif self.stop_reason == JobStatus.TIMED_OUT:
            status, error = JobStatus.TIMED_OUT, f"Timed out after {job.timeout_seconds} s."
        elif code == 0:
            status = JobStatus.SUCCEEDED
        else:
            status = JobStatus.FAILED
        if notes:
            error = " ".join(filter(None, [error, *notes]))
        if not await sync_to_async(finish)(
            self.job_id,
            self.owner,
            status=status,
            error=error,
            exit_code=code,
            signal_name=signal_name,
        ):
            raise LeaseLost(self.job_id)

    async def store_total_log(self) -> None:
        """Policy `total`: the whole of each stream as one chunk, once the job has ended."""
        job = self.job
        assert self.remote is not None
        stored = await Job.objects.filter(pk=job.pk).values_list("last_seq", flat=True).afirst()
        if stored:
            return  # stored already (a previous attempt, or a worker that died after it)
        chunks: list[PendingChunk] = []
        seq = 0
        for stream in (Stream.STDOUT, Stream.STDERR):
            data = await self.remote.read_file(f"{job.remote_directory}/{stream}") or b""
            if data:
                seq += 1
                chunks.append(PendingChunk(seq, stream, 0, data))
        if chunks:
            await sync_to_async(persist_chunks)(job.pk, self.owner, chunks)

    async def notify(self) -> None:
        from drs.jobs.events import anotify_job_changed

        await anotify_job_changed(self.job_id)
