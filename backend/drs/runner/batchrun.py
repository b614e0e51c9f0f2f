"""A job under a batch scheduler (Slurm): submitted from its directory, then followed
like a direct job, since the batch script runs the same wrapper and the job's files are
the truth (logs, resume, results, exit code). What only the scheduler knows (why the job
waits, how a job ended that wrote no exit code) comes from one `SchedulerMonitor` per
connection, which asks the scheduler about all of that connection's jobs in one call.

- start: the follower agent reports the wrapper's pid file (`started`), so `pending →
  running` shows within its poll period, not at the scheduler's next poll.
- cancel: a pending job leaves the queue and never runs; a running one gets TERM on
  every process (the batch shell too), the grace period, then KILL.
- the walltime is the scheduler's: `timeout_seconds` went to sbatch, so the runner sets
  no timer of its own; the scheduler's TIMEOUT ends the job `timed_out`.
- a controller that does not answer leaves jobs as they are; a job neither the queue nor
  accounting knows for LOST_AFTER_SECONDS ends `lost`."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time

import asyncssh
from django.utils import timezone

from drs.jobs import lifecycle
from drs.jobs.choices import JobStatus, LogPolicy
from drs.runner.agent import AgentClient
from drs.runner.jobrun import DROPPED, READ_BLOCK, JobEnd, JobRun
from drs.runner.logsink import STREAMS, LeaseLost
from drs.runner.pool import Link
from drs.runner.remote import embeddable
from drs.runner.results import collect_results
from drs.runner.schedulers import scheduler_for
from drs.runner.schedulers.base import BatchJob, Phase, Scheduler, SchedulerState, SubmitRefused
from drs.runner.ssh import ConnectError
from drs.servers.resources import effective_resources

log = logging.getLogger(__name__)

# Polling the scheduler: at most one call per connection per MIN_GAP; every RUNNING_POLL
# while one of its jobs runs (to learn of ends that wrote no exit code); backing off to
# the last of PENDING_POLLS while every job waits in the queue; STOPPING_POLL while a
# cancel waits for the scheduler to end a job.
MIN_GAP = 1.0
RUNNING_POLL = 2.0
PENDING_POLLS = (1.0, 2.0, 3.0, 5.0)
STOPPING_POLL = 0.5
# sacct can lag behind squeue: a job known to neither is lost only after this long.
LOST_AFTER_SECONDS = 120.0
# An exit code from a signal: how long the scheduler gets to say it ended the job itself.
END_STATE_WAIT = 10.0


class SchedulerMonitor:
    """The scheduler's view of every batch job of one connection (link)."""

    def __init__(self, link: Link, scheduler: Scheduler) -> None:
        self.link = link
        self.scheduler = scheduler
        self.runs: dict[str, BatchJobRun] = {}
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.last_poll = 0.0
        self.pending_rounds = 0
        self.polls = 0  # calls made (bench/ counts them)

    @classmethod
    def of(cls, link: Link, scheduler: Scheduler) -> SchedulerMonitor:
        if link.monitor is None:
            link.monitor = cls(link, scheduler)
        monitor: SchedulerMonitor = link.monitor
        return monitor

    def add(self, run: BatchJobRun) -> None:
        self.runs[run.job.scheduler_job_id] = run
        self.pending_rounds = 0
        self.wake.set()
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.loop(), name="drs-scheduler-monitor")

    def discard(self, run: BatchJobRun) -> None:
        if self.runs.get(run.job.scheduler_job_id) is run:
            del self.runs[run.job.scheduler_job_id]

    def poke(self) -> None:
        self.wake.set()

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def interval(self) -> float:
        runs = list(self.runs.values())
        if any(run.stop_reason for run in runs):
            return STOPPING_POLL
        if any(run.job.status != JobStatus.PENDING for run in runs):
            self.pending_rounds = 0
            return RUNNING_POLL
        delay = PENDING_POLLS[min(self.pending_rounds, len(PENDING_POLLS) - 1)]
        self.pending_rounds += 1
        return delay

    async def loop(self) -> None:
        while self.runs:
            await asyncio.sleep(max(0.0, self.last_poll + MIN_GAP - time.monotonic()))
            self.wake.clear()
            self.last_poll = time.monotonic()
            try:
                await self.poll()
            except (OSError, asyncssh.Error, ConnectError) as exc:
                # The jobs' own reconnects deal with outages; ask again next tick.
                log.info("scheduler poll failed on %s: %s", self.link.key, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self.interval())

    async def poll(self) -> None:
        ids = list(self.runs)
        if not ids:
            return
        remote = await self.link.remote()
        self.polls += 1
        states = self.scheduler.parse_status(await remote.run(self.scheduler.status_script(ids)))
        if states is None:
            log.info("the scheduler on %s did not answer; jobs stay as they are", self.link.key)
            return
        missing = [job_id for job_id in ids if job_id not in states]
        if missing:
            history = await remote.run(self.scheduler.history_script(missing))
            states.update(self.scheduler.parse_history(history))
        for job_id in ids:
            run = self.runs.get(job_id)
            if run is not None:
                run.on_scheduler(states.get(job_id))


class BatchJobRun(JobRun):
    # Immutable defaults, replaced per run as reports arrive.
    report: SchedulerState | None = None
    reported = False
    started_seen = False
    missing_since: float | None = None

    @functools.cached_property
    def scheduler(self) -> Scheduler:
        return scheduler_for(self.job.server.scheduler)

    # --- reports (the follower agent, the monitor) ---------------------------------------------

    def on_started(self) -> None:
        self.started_seen = True
        self.wake.set()

    def on_scheduler(self, state: SchedulerState | None) -> None:
        """The scheduler's word on the job; None: neither its queue nor accounting knows it."""
        self.report = state
        self.reported = True
        self.wake.set()

    def pending_events(self) -> bool:
        return (
            super().pending_events()
            or self.reported
            or (self.started_seen and self.job.status != JobStatus.RUNNING)
        )

    # The walltime went to the scheduler (sbatch --time): its TIMEOUT ends the job.
    def deadline_passed(self) -> bool:
        return False

    def until_deadline(self) -> float | None:
        return None

    # --- the lifecycle -------------------------------------------------------------------------

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            if self.link.monitor is not None:
                self.link.monitor.discard(self)

    async def lifecycle(self) -> None:
        job = self.job
        if job.cancel_requested_at is not None and not job.remote_directory:
            raise JobEnd(JobStatus.CANCELLED, "Cancelled before it started.")
        if not job.scheduler_job_id:
            await self.start()
        await self.follow()

    async def start(self) -> None:
        """Submit from the job directory (idempotent: a retry reports the job submitted)."""
        job, context = self.job, self.context
        await self.ensure_directory()
        command = self.shell_command()
        inline = embeddable(job.program)
        batch = BatchJob(
            job_id=self.job_id,
            directory=job.remote_directory,
            command=command,
            program=job.program if inline else None,
            resources=effective_resources(job.server.default_resources, job.resources),
            timeout_seconds=job.timeout_seconds,
        )
        while True:
            remote = await self.remote()
            self.never_launched = False
            try:
                if not inline:
                    await remote.makedirs(job.remote_directory)
                    await remote.write_file(f"{job.remote_directory}/program", job.program.encode())
                result = await remote.run(self.scheduler.submit_script(batch))
                break
            except (OSError, asyncssh.Error) as exc:
                if remote.is_closed or isinstance(exc, DROPPED):
                    log.info("job %s: connection lost while submitting (%s)", self.job_id, exc)
                    await asyncio.sleep(0.2)
                    continue
                raise JobEnd(JobStatus.FAILED, f"Could not submit the job: {exc}") from None
        try:
            scheduler_job_id = self.scheduler.parse_submit(result)
        except SubmitRefused as exc:
            raise JobEnd(
                JobStatus.FAILED, f"{self.scheduler.name} refused the job: {exc}"
            ) from None
        if not await context.db(
            lifecycle.mark_pending, self.job_id, context.owner, scheduler_job_id=scheduler_job_id
        ):
            raise LeaseLost(self.job_id)
        job.status, job.scheduler_job_id = JobStatus.PENDING, scheduler_job_id
        log.info(
            "job %s: submitted as %s job %s", self.job_id, self.scheduler.name, scheduler_job_id
        )
        await self.publish_status()

    async def watch(self) -> None:
        """Follow the job's files by polling (a compute node writes them), and have the
        monitor ask the scheduler about it."""
        follower = await self.reach_follower()
        offsets: tuple[int, int] | None = None
        if self.sink is not None:
            read = self.sink.read_offsets
            offsets = (read["stdout"], read["stderr"])
        if isinstance(follower, AgentClient):
            follower.watch(self.job_id, self.job.remote_directory, offsets, self, batch=True)
        else:
            follower.watch(self.job_id, self.job.remote_directory, offsets, self)
        SchedulerMonitor.of(self.link, self.scheduler).add(self)

    async def scheduler_step(self) -> None:
        job = self.job
        if self.started_seen and job.status != JobStatus.RUNNING:
            await self.mark_started()
        if not self.reported:
            return
        self.reported = False
        state = self.report
        if state is None:
            if self.missing_since is None:
                self.missing_since = time.monotonic()
            elif time.monotonic() - self.missing_since >= LOST_AFTER_SECONDS:
                await self.end_without_code(
                    JobStatus.LOST,
                    f"{self.scheduler.name} no longer knows job {job.scheduler_job_id} "
                    "(neither its queue nor its accounting) and it left no exit code.",
                )
            return
        self.missing_since = None
        if state.phase == Phase.ENDED:
            if await self.exit_code_written():
                return  # the follower reports it with the last bytes
            ending = self.scheduler.explain(
                state, cancelled_by_drs=self.stop_reason == JobStatus.CANCELLED
            )
            await self.record_state(state)
            await self.end_without_code(ending.status, ending.error)
        if state.phase == Phase.RUNNING and job.status != JobStatus.RUNNING:
            # The files tell first; this is the fallback (SFTP polling, a lost event).
            await self.mark_started()
        await self.record_state(state)

    async def record_state(self, state: SchedulerState) -> None:
        job = self.job
        reason = state.reason if job.status == JobStatus.PENDING else ""
        start = state.expected_start if job.status == JobStatus.PENDING else None
        if (job.scheduler_state, job.pending_reason, job.expected_start_at) == (
            state.state,
            reason,
            start,
        ):
            return
        changed = job.pending_reason != reason or job.expected_start_at != start
        await self.context.db(
            lifecycle.set_scheduler_state, self.job_id, self.context.owner,
            state=state.state, reason=reason, expected_start=start,
        )  # fmt: skip
        job.scheduler_state, job.pending_reason, job.expected_start_at = state.state, reason, start
        if changed:
            await self.publish_status()

    async def mark_started(self) -> None:
        job = self.job
        if await self.context.db(lifecycle.mark_started, self.job_id, self.context.owner):
            job.started_at = timezone.now()
            job.pending_reason, job.expected_start_at = "", None
            job.status = JobStatus.RUNNING
            await self.publish_status()
        else:
            self.check_lease()
            job.status = JobStatus.RUNNING  # already recorded (a reattached job)

    async def exit_code_written(self) -> bool:
        remote = await self.remote()
        return await remote.is_regular_file(f"{self.job.remote_directory}/exit_code")

    async def end_without_code(self, status: str, error: str) -> None:
        """The scheduler ended the job before its wrapper recorded an exit code: keep what
        it wrote (the rest of both streams, results), then end it as the scheduler says."""
        job = self.job
        if self.started_seen and job.status != JobStatus.RUNNING:
            await self.mark_started()
        follower = self.link.follower
        if follower is not None:
            follower.unwatch(self.job_id)
        remote = await self.remote()
        notes: list[str] = []
        if self.sink is not None:
            for stream in STREAMS:
                path = f"{job.remote_directory}/{stream}"
                while data := await remote.read_at(
                    path, self.sink.read_offsets[stream], READ_BLOCK
                ):
                    self.sink.feed(stream, data)
                    self.context.persister.fed(self.job_id)
                remote.forget(path)
            await self.context.persister.final_flush(self.sink)
        elif job.log_policy == LogPolicy.TOTAL:
            notes += await self.store_total_log()
        notes += await collect_results(remote, job)
        raise JobEnd(status, " ".join(filter(None, [error, *notes])))

    # --- stopping ------------------------------------------------------------------------------

    async def stop_step(self) -> None:
        job = self.job
        if self.term_sent_at is None and job.status == JobStatus.PENDING and not self.started_seen:
            await self.scheduler_command(
                self.scheduler.cancel_script(job.scheduler_job_id, signal_name=None)
            )
            raise JobEnd(
                JobStatus.CANCELLED, "Cancelled while it waited in the queue; it never ran."
            )
        await super().stop_step()
        if self.link.monitor is not None:
            self.link.monitor.poke()

    async def signal_group(self, name: str) -> None:
        """Every process of the job, the batch shell included."""
        if not self.job.scheduler_job_id:
            return
        await self.scheduler_command(
            self.scheduler.cancel_script(self.job.scheduler_job_id, signal_name=name)
        )
        if name == "KILL":
            self.kill_sent = True

    async def scheduler_command(self, script: str) -> None:
        while True:
            remote = await self.remote()
            try:
                result = await remote.run(script)
            except (OSError, asyncssh.Error) as exc:
                log.info("job %s: could not reach the scheduler (%s); retrying", self.job_id, exc)
                await asyncio.sleep(0.2)
                continue
            if result.exit_status != 0:
                log.info(
                    "job %s: %s: %s", self.job_id, script,
                    result.stderr.decode(errors="replace").strip(),
                )  # fmt: skip
            return

    # --- finishing -----------------------------------------------------------------------------

    async def finalize(self, code: int | None) -> None:
        """An exit status from a signal may be the scheduler's doing (walltime, scancel
        outside DRS): then its state decides the status; the code is kept."""
        if self.job.status != JobStatus.RUNNING:
            await self.mark_started()  # it wrote an exit code: it ran, however briefly
        if code is not None and code > 128 and not self.stop_reason:
            state = await self.final_state()
            if state is not None and state.state in ("TIMEOUT", "CANCELLED"):
                ending = self.scheduler.explain(state, cancelled_by_drs=False)
                if self.sink is not None:
                    await self.context.persister.final_flush(self.sink)
                remote = await self.remote()
                notes = await collect_results(remote, self.job)
                error = " ".join(filter(None, [ending.error, *notes]))
                await self.end(ending.status, error, exit_code=code, signal_name="")
                return
        await super().finalize(code)

    async def final_state(self) -> SchedulerState | None:
        deadline = time.monotonic() + END_STATE_WAIT
        ids = [self.job.scheduler_job_id]
        while True:
            remote = await self.remote()
            states = self.scheduler.parse_status(
                await remote.run(self.scheduler.status_script(ids))
            )
            state = (states or {}).get(ids[0])
            if state is None and states is not None:
                history = await remote.run(self.scheduler.history_script(ids))
                state = self.scheduler.parse_history(history).get(ids[0])
            if (state is not None and state.phase == Phase.ENDED) or time.monotonic() > deadline:
                return state
            await asyncio.sleep(0.5)
