"""One job's life inside a runner process: connect (through the pool), start it detached
(or reattach), follow its output into the log sink, stop it on cancel or timeout, collect
results and finish. It is one asyncio task among many; it owns no thread or process.

Every way this can go wrong ends the job: a dead wrapper or a vanished directory →
`lost`; a refused login or a changed host key → `failed` at once; a host unreachable for
longer than DRS_SSH_GIVE_UP_SECONDS → `lost`; cancel and timeout act even while the host
cannot be reached."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, TypeVar

import asyncssh
from django.conf import settings
from django.db import DataError, IntegrityError
from django.utils import timezone

from drs.common import metrics
from drs.common.logging import job_id_var
from drs.jobs import lifecycle
from drs.jobs.choices import JobStatus, LogPolicy, Stream
from drs.jobs.events import anotify_job_changed
from drs.jobs.jobdir import command_error, job_command
from drs.jobs.models import Job
from drs.runner.agent import LAUNCH_IN_PROGRESS, METRICS_STREAM, AgentError, Follower, Offsets
from drs.runner.diskfull import disk_full, disk_script
from drs.runner.logsink import STREAMS, LeaseLost, LogSink, Persister
from drs.runner.metricsink import MetricSink
from drs.runner.pool import Link
from drs.runner.remote import (
    WRAPPER,
    Remote,
    RunResult,
    embeddable,
    kill_script,
    launch_script,
)
from drs.runner.results import collect_results
from drs.runner.ssh import DROPPED, AuthError, ConnectError, HostKeyError, PermanentConnectError
from drs.runner.staging import StagingFailed, stage_inputs

T = TypeVar("T")

log = logging.getLogger(__name__)

READ_BLOCK = 1024 * 1024
# A finished job's steps on its host (its total log, its results) retried on new connections
# at most this often: a host that drops every connection still lets the job end.
MAX_DROPS = 20


class JobEnd(Exception):
    """End the job with this status and human message."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def describe_exit(code: int) -> tuple[str, str]:
    """(signal name, human error) for a non-zero exit status recorded by the wrapper."""
    if 128 < code < 128 + 65:
        with contextlib.suppress(ValueError):
            name = signal.Signals(code - 128).name
            return name, f"Killed by {name} (exit status {code})."
    return "", f"Exited with code {code}."


def job_directory(job: Job) -> str:
    """Where a job's first start puts its directory: under its server's jobs directory."""
    base = (job.server.jobs_directory or ".drs/jobs").rstrip("/")
    if base.startswith("~/"):
        base = base[2:]
    return f"{base}/{job.pk}"


def parse_launch(output: bytes) -> tuple[int, str, int, str]:
    """`cat pgid pid` → (pgid, its start time, wrapper pid, its start time)."""
    lines = output.decode(errors="replace").split("\n")
    pgid_fields, pid_fields = lines[0].split(), lines[1].split()
    return (
        int(pgid_fields[0]),
        pgid_fields[1] if len(pgid_fields) > 1 else "",
        int(pid_fields[0]),
        pid_fields[1] if len(pid_fields) > 1 else "",
    )


class DbCall(Protocol):
    def __call__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Awaitable[T]: ...


@dataclass(frozen=True)
class RunContext:
    """What a job's run needs from the runner process that started it, and no more."""

    owner: str  # the process's lease owner: every transition of the job is guarded by it
    db: DbCall  # ORM work, in the process's database thread
    persister: Persister  # the process's log flusher (one per process)
    lost_leases: Container[str]  # jobs whose lease the process lost (it adds to it)
    admit_next: Callable[[int], Awaitable[None]]  # let a server's next queued job in


class JobRun:
    """Also the Watcher its transport reports to (data, exit, gone, lost)."""

    def __init__(
        self,
        context: RunContext,
        job: Job,
        link: Link,
        *,
        first_start: bool = False,
    ) -> None:
        self.context = context
        self.job = job
        self.job_id = str(job.pk)
        self.link = link
        # The `starting` event the runner sends on taking the job (set by the runner).
        self.announced: asyncio.Task[None] | None = None
        self.sink: LogSink | None = None
        self.wake = asyncio.Event()
        self.exit_code: int | None = None
        self.gone = ""
        self.transport_lost = False
        self.stop_reason = ""  # JobStatus.CANCELLED or TIMED_OUT once decided
        self.term_sent_at: float | None = None
        self.kill_sent = False
        self.stop_note = ""
        self.finishing = False
        # No launch was ever attempted (no directory recorded, or recorded by this claim:
        # FIRST_START): a failed connect fails the job at once; afterwards the job may be
        # running and outages are waited out.
        self.never_launched = first_start or not job.remote_directory

    # --- Watcher ---------------------------------------------------------------------------

    def on_data(self, stream: int, offset: int, data: bytes) -> None:
        sink = self.sink
        if sink is None:
            return
        if stream == METRICS_STREAM:
            self.on_metrics(offset, data)
            return
        name = STREAMS[stream]
        expected = sink.read_offsets[name]
        if offset < expected:  # already have these bytes (a resumed transport)
            data = data[expected - offset :]
        elif offset > expected:
            log.error(
                "job %s: %s skipped from %d to %d; resyncing", self.job_id, name, expected, offset
            )
            self.on_lost("the transport skipped bytes")
            return
        if data:
            sink.feed(name, data)
            self.context.persister.fed(self.job_id)

    def on_metrics(self, offset: int, data: bytes) -> None:
        metrics = self.sink.metrics if self.sink is not None else None
        if metrics is None:
            return
        expected = metrics.read_offset
        if offset < expected:
            data = data[expected - offset :]
        elif offset > expected:
            log.error(
                "job %s: metrics skipped from %d to %d; resyncing", self.job_id, expected, offset
            )
            self.on_lost("the transport skipped bytes")
            return
        if data:
            metrics.feed(data)
            self.context.persister.fed(self.job_id)

    def on_exit(self, code: int) -> None:
        self.exit_code = code
        self.wake.set()

    def on_gone(self, why: str) -> None:
        self.gone = why or "the job can no longer be found on the host"
        self.wake.set()

    def on_lost(self, why: str) -> None:
        self.transport_lost = True
        self.wake.set()

    def on_started(self) -> None:
        return None  # a batch scheduler's start; a direct job is running once launched

    # --- control from the runner (cancel hints, its tick) -------------------------------------

    def request_stop(self, reason: str) -> None:
        if not self.stop_reason:
            log.info("job %s: stopping (%s)", self.job_id, reason)
            self.stop_reason = reason
            self.wake.set()

    def deadline_passed(self) -> bool:
        job = self.job
        if not job.timeout_seconds or job.started_at is None:
            return False
        return timezone.now() >= job.started_at + timedelta(seconds=job.timeout_seconds)

    def until_deadline(self) -> float | None:
        """Seconds until the job's timeout (None: no timeout, or already stopping)."""
        job = self.job
        if self.stop_reason or not job.timeout_seconds or job.started_at is None:
            return None
        deadline = job.started_at + timedelta(seconds=job.timeout_seconds)
        return max(0.0, (deadline - timezone.now()).total_seconds())

    # --- the lifecycle ---------------------------------------------------------------------

    async def run(self) -> None:
        job_id_var.set(self.job_id)
        metrics.JOBS_FOLLOWED.inc()
        try:
            await self.lifecycle()
        except JobEnd as end:
            await self.end(end.status, end.message)
        except LeaseLost:
            log.warning("job %s: lease lost to another runner; stopping here", self.job_id)
        except (DataError, IntegrityError) as exc:
            # Deterministic: retrying would fail the same way for ever.
            await self.end(JobStatus.FAILED, f"The database refused the job's data: {exc}")
        finally:
            metrics.JOBS_FOLLOWED.dec()
            self.context.persister.unregister(self.job_id)
            with contextlib.suppress(Exception):
                follower = self.link.follower
                if follower is not None:
                    follower.unwatch(self.job_id)
            self.link.users -= 1

    async def lifecycle(self) -> None:
        job = self.job
        launched = job.remote_pgid is not None or job.status == JobStatus.RUNNING
        if job.cancel_requested_at is not None and not launched and not job.remote_directory:
            raise JobEnd(JobStatus.CANCELLED, "Cancelled before it started.")
        if not launched:
            await self.start()
        await self.follow()

    # --- connecting ------------------------------------------------------------------------

    async def remote(self) -> Remote:
        """A connection to the job's host, waiting out outages up to the give-up window;
        a cancel or timeout during the outage ends the job without waiting that long."""
        outage_started: float | None = None
        while True:
            try:
                remote = await self.link.remote()
            except PermanentConnectError as exc:
                kind = (
                    "auth" if isinstance(exc, AuthError)
                    else "host_key" if isinstance(exc, HostKeyError)
                    else "connect"
                )  # fmt: skip
                metrics.SSH_ERRORS.labels(server=self.job.server.name, kind=kind).inc()
                raise JobEnd(JobStatus.FAILED, str(exc)) from None
            except ConnectError as exc:
                metrics.SSH_ERRORS.labels(server=self.job.server.name, kind="connect").inc()
                if self.never_launched:
                    # Nothing exists on the host yet: say so now rather than in 10 min.
                    raise JobEnd(JobStatus.FAILED, f"Could not start: {exc}") from None
                if outage_started is None:
                    outage_started = time.monotonic()
                    await self.context.db(
                        lifecycle.set_unreachable, self.job_id, self.context.owner, reachable=False
                    )
                    log.info("job %s: host unreachable: %s", self.job_id, exc)
                await self.wait_for_host(str(exc), outage_started)
                continue
            if outage_started is not None or self.job.unreachable_since is not None:
                self.job.unreachable_since = None
                await self.context.db(
                    lifecycle.set_unreachable, self.job_id, self.context.owner, reachable=True
                )
            return remote

    async def wait_for_host(self, error: str, outage_started: float) -> None:
        since = await self.context.db(
            lambda: (
                Job.objects.filter(pk=self.job_id)
                .values_list("unreachable_since", flat=True)
                .first()
            )
        )
        down_for = (timezone.now() - since).total_seconds() if since else 0.0
        if down_for >= settings.DRS_SSH_GIVE_UP_SECONDS:
            raise JobEnd(
                JobStatus.LOST,
                f"Gave up after {int(down_for)} s without reaching the host "
                f"(DRS_SSH_GIVE_UP_SECONDS): {error}",
            )
        if self.stop_reason and time.monotonic() - outage_started >= self.stop_wait():
            what = "Cancelled" if self.stop_reason == JobStatus.CANCELLED else "Timed out"
            raise JobEnd(
                self.stop_reason,
                f"{what} while the host was unreachable: its processes could not be "
                f"signalled and may still be running there ({error})",
            )
        delay = max(0.2, self.link.retry_at - time.monotonic())
        self.wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), min(delay, 5.0))
        self.check_lease()
        if not self.stop_reason and self.deadline_passed():
            self.request_stop(JobStatus.TIMED_OUT)

    @staticmethod
    def stop_wait() -> float:
        """How long a cancel waits for an unreachable host before ending the job anyway."""
        return float(settings.DRS_CANCEL_GRACE_SECONDS) + 10.0

    def check_lease(self) -> None:
        if self.sink is not None and isinstance(self.sink.failed, LeaseLost):
            raise self.sink.failed
        if self.job_id in self.context.lost_leases:
            raise LeaseLost(self.job_id)

    # --- starting --------------------------------------------------------------------------

    async def ensure_directory(self) -> str:
        """The job's remote directory, chosen and recorded on its first start."""
        job, context = self.job, self.context
        if not job.remote_directory:
            job.remote_directory = self.default_directory()
            if not await context.db(
                lifecycle.set_directory, self.job_id, context.owner, job.remote_directory
            ):
                raise LeaseLost(self.job_id)
        return job.remote_directory

    def shell_command(self) -> str:
        """The command line that runs the job's program from its directory."""
        job = self.job
        argv = [*job.interpreter.argv, "./program", *[str(a) for a in job.arguments]]
        try:
            return job_command(argv, {str(k): str(v) for k, v in job.environment.items()})
        except ValueError as exc:
            raise JobEnd(JobStatus.FAILED, f"{exc}; nothing was run.") from None

    async def start(self) -> None:
        job, context = self.job, self.context
        directory = await self.ensure_directory()
        never_launched, self.never_launched = self.never_launched, False
        command = self.shell_command()
        if reason := command_error(command):  # the API refuses these; a job made otherwise
            raise JobEnd(JobStatus.FAILED, f"{reason} Nothing was run.")
        while True:
            self.never_launched = never_launched
            remote = await self.remote()
            self.never_launched = never_launched = False
            try:
                await stage_inputs(remote, job, directory, context.db)
                result = await self.launch(remote, directory, command)
                break
            except StagingFailed as exc:
                raise JobEnd(JobStatus.FAILED, f"{exc}; nothing was run.") from None
            except (OSError, asyncssh.Error) as exc:
                if remote.is_closed or isinstance(exc, DROPPED):
                    # The connection dropped mid-start: the launch is idempotent, so
                    # reconnect and run it again (it reports the job if it already runs).
                    log.info(
                        "job %s: connection lost while starting (%s); retrying", self.job_id, exc
                    )
                    await asyncio.sleep(0.2)
                    continue
                raise JobEnd(
                    JobStatus.FAILED, f"Could not upload or start the program: {exc}"
                ) from None
        if result.exit_status != 0:
            reason = (
                await self.full_disk(remote)  # the wrapper could not record the job's pid
                or result.stderr.decode(errors="replace").strip()
                or f"exit status {result.exit_status}"
            )
            raise JobEnd(JobStatus.FAILED, f"Could not start the job: {reason}")
        try:
            pgid, pgid_start, pid, pid_start = parse_launch(result.stdout)
        except (ValueError, IndexError):
            raise JobEnd(
                JobStatus.FAILED, "The job did not start on the host (no process ids recorded)."
            ) from None
        if not await context.db(
            lifecycle.mark_running, self.job_id, context.owner,
            pgid=pgid, pgid_start=pgid_start, pid=pid, pid_start=pid_start,
        ):  # fmt: skip
            raise LeaseLost(self.job_id)
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.remote_pgid, job.remote_pgid_start = pgid, pgid_start
        job.remote_pid, job.remote_pid_start = pid, pid_start
        await self.publish_status()

    async def publish_status(self) -> None:
        """The job's status as the database has it, after the `starting` event (whose
        failure, like this one's, only costs watchers a live update)."""
        if self.announced is not None:
            await asyncio.gather(self.announced, return_exceptions=True)
            self.announced = None
        await anotify_job_changed(self.job_id)

    async def launch(self, remote: Remote, directory: str, command: str) -> RunResult:
        """Through the host's follower agent when one is up: it also creates the directory
        and writes the program (no SFTP, no channel, no login shell). Else the launch
        script, which writes the program too when a here-document can carry it (SFTP
        otherwise). Both are idempotent and leave the same files."""
        agent = self.link.running_agent()
        if agent is not None:
            try:
                code, output = await agent.launch(
                    self.job_id, directory, command, WRAPPER, program=self.job.program
                )
            except AgentError as exc:
                log.info("job %s: agent launch failed (%s); using the script", self.job_id, exc)
            else:
                if code == 0:
                    return RunResult(0, output, b"")
                if code != LAUNCH_IN_PROGRESS:
                    return RunResult(code, b"", output)
                # Another launch holds the claim and writes the program: wait for its pid.
                return await remote.run(launch_script(directory, command))
        if embeddable(self.job.program):
            return await remote.run(launch_script(directory, command, self.job.program))
        await remote.makedirs(directory)
        await remote.write_file(f"{directory}/program", self.job.program.encode())
        return await remote.run(launch_script(directory, command))

    def default_directory(self) -> str:
        return job_directory(self.job)

    # --- following ---------------------------------------------------------------------------

    async def follow(self) -> None:
        job = self.job
        if job.status == JobStatus.STARTING:
            # Reattaching to a job whose start was never recorded: launching is idempotent.
            await self.start()
        # Every job has a sink: metrics are kept whatever the log policy; its log
        # buffers stay empty unless the log is live.
        self.sink = LogSink(
            job_id=self.job_id,
            offsets={Stream.STDOUT: job.stdout_offset, Stream.STDERR: job.stderr_offset},
            last_seq=job.last_seq,
            line_count=job.line_count,
            metrics=MetricSink(
                job_id=self.job_id,
                owner_id=job.owner_id,
                offset=job.metrics_offset,
                count=job.metric_count,
            ),
        )
        self.context.persister.register(self.sink)
        await self.watch()
        while self.exit_code is None:
            # Everything else wakes this loop (transport events, a stop request, a lost
            # lease, a failed sink); a timer runs only for the job's own deadline or the
            # grace period before KILL.
            timeout = self.until_deadline()
            if self.term_sent_at is not None and not self.kill_sent:
                timeout = max(
                    0.05, self.term_sent_at + settings.DRS_CANCEL_GRACE_SECONDS - time.monotonic()
                )
            self.wake.clear()
            if not self.pending_events():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout)
            if not self.stop_reason and self.deadline_passed():
                self.request_stop(JobStatus.TIMED_OUT)
            self.check_lease()
            if self.sink is not None and self.sink.failed is not None:
                raise self.sink.failed
            if self.exit_code is not None:
                break
            if self.gone:
                raise await self.gone_end()
            await self.scheduler_step()
            if self.transport_lost:
                self.transport_lost = False
                await self.watch()
                log.info(
                    "job %s: reconnected; following again from the stored offsets", self.job_id
                )
                continue
            if self.stop_reason:
                await self.stop_step()
        if self.stop_reason and not self.kill_sent:
            # The job's leader ended; make sure nothing it started outlives the stop.
            await self.signal_group("KILL")
        await self.finalize(self.exit_code)

    async def gone_end(self) -> JobEnd:
        """The wrapper ended without an exit code: lost, unless the job's disk is full (the
        wrapper could not write the code), which is the job's failure and named as such."""
        if full := await self.full_disk(await self.remote()):
            return JobEnd(
                JobStatus.FAILED,
                f"The job ended, but its exit status could not be recorded: {full}. Free "
                "space there and run it again.",
            )
        return JobEnd(JobStatus.LOST, f"The job was lost: {self.gone}.")

    async def full_disk(self, remote: Remote) -> str:
        """What a full disk did to the job directory's files (`diskfull`), or ""."""
        try:
            result = await remote.run(disk_script(self.job.remote_directory))
        except (OSError, asyncssh.Error):
            return ""
        return disk_full(result.stdout) if result.exit_status == 0 else ""

    async def scheduler_step(self) -> None:
        return None  # a batch scheduler's reports (batchrun.py); direct jobs have none

    def pending_events(self) -> bool:
        return (
            self.exit_code is not None
            or bool(self.gone)
            or self.transport_lost
            or bool(self.stop_reason and self.term_sent_at is None)
        )

    async def reach_follower(self) -> Follower:
        """The host's follower, retried until up."""
        while True:
            await self.remote()  # waits out outages, ends the job past the give-up window
            try:
                return await self.link.get_follower()
            except (OSError, asyncssh.Error, ConnectError) as exc:
                log.info("job %s: follower not available (%s); retrying", self.job_id, exc)
                await asyncio.sleep(0.5)

    async def watch(self) -> None:
        """(Re)attach to the host's follower from the persisted-plus-buffered offsets."""
        follower = await self.reach_follower()
        offsets: Offsets | None = None
        if self.sink is not None:
            read = self.sink.read_offsets
            live = self.job.log_policy == LogPolicy.LIVE
            metrics = self.sink.metrics
            offsets = (
                read[Stream.STDOUT] if live else None,
                read[Stream.STDERR] if live else None,
                metrics.read_offset if metrics is not None else None,
            )
        follower.watch(self.job_id, self.job.remote_directory, offsets, self)

    async def stop_step(self) -> None:
        """TERM the process group once, then KILL it after the grace period."""
        now = time.monotonic()
        if self.term_sent_at is None:
            await self.signal_group("TERM")
            self.term_sent_at = now
        elif not self.kill_sent and now >= self.term_sent_at + settings.DRS_CANCEL_GRACE_SECONDS:
            await self.signal_group("KILL")

    async def signal_group(self, name: str) -> None:
        job = self.job
        if job.remote_pgid is None:
            return
        while True:
            remote = await self.remote()
            try:
                await remote.run(kill_script(job.remote_pgid, job.remote_pgid_start, name))
                break
            except (OSError, asyncssh.Error) as exc:
                log.info("job %s: could not send %s (%s); retrying", self.job_id, name, exc)
                await asyncio.sleep(0.2)
        if name == "KILL":
            self.kill_sent = True

    # --- finishing -----------------------------------------------------------------------------

    async def finalize(self, code: int | None) -> None:
        assert code is not None
        job = self.job
        notes: list[str] = []
        if self.sink is not None:
            await self.context.persister.final_flush(self.sink)
        if job.log_policy == LogPolicy.TOTAL:
            notes += await self.store_total_log()
        notes += await self.on_host("Result files", lambda remote: collect_results(remote, job))
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
        await self.end(status, error, exit_code=code, signal_name=signal_name)

    async def on_host(self, what: str, step: Callable[[Remote], Awaitable[list[str]]]) -> list[str]:
        """Run a finished job's STEP on its host (it returns notes for the job's error). A
        dropped connection reconnects and runs the step again: it resumes, skipping what it
        stored. The exit status is known by now, so a host that stays out of reach, or an
        error there, costs the step (a note), never the job's outcome."""
        for _ in range(MAX_DROPS):
            try:
                remote = await self.remote()
            except JobEnd as end:
                return [f"{what} were not collected: {end.message}"]
            try:
                return await step(remote)
            except (OSError, asyncssh.Error) as exc:
                if not (remote.is_closed or isinstance(exc, DROPPED)):
                    return [f"{what} were not collected: {exc}"]
                log.info("job %s: connection lost (%s); reconnecting", self.job_id, exc)
                await asyncio.sleep(0.2)
        return [f"{what} were not collected: the connection dropped {MAX_DROPS} times."]

    async def store_total_log(self) -> list[str]:
        """Policy `total`: the whole of each stream once the job has ended, in chunks like a
        live log, up to DRS_TOTAL_LOG_MAX_BYTES per stream."""
        stored = await self.context.db(
            lambda: Job.objects.filter(pk=self.job_id).values_list("last_seq", flat=True).first()
        )
        if stored:
            return []  # stored already (a runner that died after it)
        sink = LogSink(job_id=self.job_id, offsets={s: 0 for s in STREAMS}, last_seq=0)
        self.sink = sink
        self.context.persister.register(sink)
        notes = await self.on_host("The logs", lambda remote: self.read_total_log(remote, sink))
        await self.context.persister.final_flush(sink)
        return notes

    async def read_total_log(self, remote: Remote, sink: LogSink) -> list[str]:
        """Both streams into SINK, each from what it holds already (a reconnect resumes)."""
        job = self.job
        cap = settings.DRS_TOTAL_LOG_MAX_BYTES
        notes = []
        for stream in STREAMS:
            offset = sink.read_offsets[stream]
            while offset < cap:
                data = await remote.read_at(
                    f"{job.remote_directory}/{stream}", offset, min(READ_BLOCK, cap - offset)
                )
                if not data:
                    break
                sink.feed(stream, data)
                offset += len(data)
                if sink.pending_bytes >= 8 * READ_BLOCK:
                    await self.context.persister.flush([sink])
            remote.forget(f"{job.remote_directory}/{stream}")
            if offset >= cap and await remote.read_at(f"{job.remote_directory}/{stream}", cap, 1):
                notes.append(f"The {stream} log was cut at {cap} bytes (DRS_TOTAL_LOG_MAX_BYTES).")
        return notes

    async def end(
        self, status: str, error: str, *, exit_code: int | None = None, signal_name: str = ""
    ) -> None:
        self.finishing = True
        if self.sink is not None and self.sink.failed is None and self.sink.pending_bytes:
            with contextlib.suppress(Exception):
                await self.context.persister.final_flush(self.sink)
        done = await self.context.db(
            lifecycle.finish, self.job_id, self.context.owner,
            status=status, error=error, exit_code=exit_code, signal_name=signal_name,
        )  # fmt: skip
        if not done:
            log.warning("job %s: not finished here: another runner holds it", self.job_id)
            return
        log.info("job %s: %s %s", self.job_id, status, error)
        await self.publish_status()
        await self.context.admit_next(self.job.server_id)
