"""`direct`: the job runs as a detached process on the host DRS reaches (remote.py's
wrapper; docs/architecture.md "The detached wrapper"). Its "job id" is the wrapper's record of the
job's process group, `PGID START`. The runner's direct path (`jobrun.JobRun`) also
launches through the follower agent and checks liveness there; these scripts are the
same ones it runs over a channel."""

from __future__ import annotations

from drs.jobs.choices import JobStatus
from drs.runner.remote import RunResult, kill_script, launch_script, liveness_script
from drs.runner.schedulers.base import BatchJob, Ending, Phase, SchedulerState, SubmitRefused


def _record(value: str) -> tuple[int, str]:
    number, _, start = value.strip().partition(" ")
    return int(number), start


class DirectScheduler:
    name = "direct"

    def submit_script(self, job: BatchJob) -> str:
        return launch_script(job.directory, job.command, job.program)

    def parse_submit(self, result: RunResult) -> str:
        """The `pgid start` line (the wrapper's `pid start` line follows it)."""
        if result.exit_status != 0:
            raise SubmitRefused(
                result.stderr.decode(errors="replace").strip()
                or f"exit status {result.exit_status}"
            )
        return result.stdout.decode(errors="replace").split("\n", 1)[0].strip()

    def status_script(self, ids: list[str]) -> str:
        """IDS are the wrappers' `pid start` records."""
        return liveness_script([_record(i) for i in ids])

    def parse_status(self, result: RunResult) -> dict[str, SchedulerState] | None:
        if result.exit_status != 0:
            return None
        gone = {line.strip() for line in result.stdout.decode().splitlines() if line.strip()}
        return {pid: SchedulerState("GONE", Phase.ENDED) for pid in gone}

    def history_script(self, ids: list[str]) -> str:
        return "true"

    def parse_history(self, result: RunResult) -> dict[str, SchedulerState]:
        return {}

    def cancel_script(self, scheduler_job_id: str, *, signal_name: str | None) -> str:
        pgid, start = _record(scheduler_job_id)
        return kill_script(pgid, start, signal_name or "TERM")

    def explain(self, state: SchedulerState, *, cancelled_by_drs: bool) -> Ending:
        if cancelled_by_drs:
            return Ending(JobStatus.CANCELLED, "Cancelled by request.")
        return Ending(JobStatus.LOST, "The job's wrapper process is gone without an exit code.")
