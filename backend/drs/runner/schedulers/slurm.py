"""`slurm`: submit with `sbatch --parsable` on the login node DRS reaches; the batch
script is the same wrapper as `direct`, so the job's own files (stdout, stderr,
exit_code) stay the truth. Slurm is asked only what the files cannot say: why a job
waits and when it may start (`squeue`), and how a job ended that wrote no exit code
(`squeue -t all`, then `sacct`). Shapes follow AiiDA's slurm plugin (one table of
states; `squeue` for many ids at once) and PSI/J (its own exit-code file, since
sacct's exit codes are wrong often enough)."""

from __future__ import annotations

import math
import secrets
from datetime import UTC, datetime

from drs.jobs.choices import JobStatus
from drs.runner.remote import WRAPPER, RunResult, q
from drs.runner.schedulers.base import (
    BatchJob,
    Ending,
    Phase,
    SchedulerState,
    SubmitRefused,
)

SEP = "|"
# Slurm's job states (squeue(1) "JOB STATE CODES"), each in one phase. A state not in
# the table is its own case: `UNKNOWN` below, never a silent fallthrough.
PHASES = {
    "PENDING": Phase.PENDING, "CONFIGURING": Phase.PENDING, "REQUEUED": Phase.PENDING,
    "REQUEUE_FED": Phase.PENDING, "REQUEUE_HOLD": Phase.PENDING, "RESV_DEL_HOLD": Phase.PENDING,
    "SUSPENDED": Phase.RUNNING, "RUNNING": Phase.RUNNING, "COMPLETING": Phase.RUNNING,
    "SIGNALING": Phase.RUNNING, "STAGE_OUT": Phase.RUNNING, "RESIZING": Phase.RUNNING,
    "STOPPED": Phase.RUNNING,
    "COMPLETED": Phase.ENDED, "FAILED": Phase.ENDED, "CANCELLED": Phase.ENDED,
    "TIMEOUT": Phase.ENDED, "OUT_OF_MEMORY": Phase.ENDED, "NODE_FAIL": Phase.ENDED,
    "BOOT_FAIL": Phase.ENDED, "DEADLINE": Phase.ENDED, "PREEMPTED": Phase.ENDED,
    "REVOKED": Phase.ENDED, "SPECIAL_EXIT": Phase.ENDED,
}  # fmt: skip
UNKNOWN = Phase.RUNNING  # an unlisted state: wait for the files or a known end
FLAGS = {
    "partition": "--partition", "account": "--account", "qos": "--qos",
    "reservation": "--reservation", "constraint": "--constraint", "nodes": "--nodes",
    "ntasks": "--ntasks", "cpus_per_task": "--cpus-per-task", "gpus": "--gpus",
}  # fmt: skip
# Exit statuses of the submit script besides sbatch's own.
REFUSED = 94

# The batch script: the direct wrapper, but the job stays in the batch shell's process
# group (no setsid), where Slurm's signals reach it (scancel --full, the walltime) and
# its process tracking keeps it even when the wrapper dies first.
_DETACHED = 'setsid /bin/sh -c "$1"'
assert _DETACHED in WRAPPER
BATCH_WRAPPER = WRAPPER.replace(_DETACHED, '/bin/sh -c "$1"')

_SUBMIT = """\
{prepare}cd {dir} || exit 97
command -v sbatch > /dev/null 2>&1 || {{ echo "drs: 'sbatch' is not on the PATH of the login shell's environment; is this a Slurm login node?" >&2; exit 96; }}
if mkdir .drs-launched 2> /dev/null; then
{program}  touch -d '1 second ago' .drs-started 2> /dev/null || touch .drs-started
  cat > .drs-batch <<'DRS_WRAPPER_END'
#!/bin/sh
{wrapper}DRS_WRAPPER_END
  if sbatch {flags} .drs-batch {command} > .drs-submitted.tmp 2> .drs-submit.err < /dev/null; then
    mv .drs-submitted.tmp .drs-submitted
  else
    cat .drs-submit.err >&2; rm -f .drs-submitted.tmp; rmdir .drs-launched; exit {refused}
  fi
fi
i=0
while [ ! -s .drs-submitted ]; do
  i=$((i + 1))
  [ $i -gt 3000 ] && {{ echo "drs: the job was not submitted (no job id recorded)" >&2; exit 95; }}
  sleep 0.01 2> /dev/null || sleep 1
done
cat .drs-submitted
"""


def sbatch_flags(job: BatchJob) -> list[str]:
    """sbatch's options for the effective request; every value is quoted (the API
    refused what no scheduler accepts already; quoting makes the rest harmless)."""
    flags = [
        "--parsable",
        f"--job-name=drs-{job.job_id[:8]}",
        "--output=.drs-slurm.out",
        "--error=.drs-slurm.out",
    ]
    for key, flag in FLAGS.items():
        value = job.resources.get(key)
        if value is None or (key == "gpus" and value == 0):
            continue
        flags.append(f"{flag}={q(str(value))}")
    if job.resources.get("memory_mb") is not None:
        flags.append(f"--mem={int(job.resources['memory_mb'])}M")
    if job.timeout_seconds:
        flags.append(f"--time={max(1, math.ceil(job.timeout_seconds / 60))}")
    return flags


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None  # N/A, Unknown


def _phase(state: str) -> str:
    return PHASES.get(state, UNKNOWN)


class SlurmScheduler:
    name = "slurm"

    def submit_script(self, job: BatchJob) -> str:
        prepare = write = ""
        if job.program is not None:
            end = f"DRS_PROGRAM_END_{secrets.token_hex(8)}"
            while end in job.program:
                end = f"DRS_PROGRAM_END_{secrets.token_hex(8)}"
            prepare = f"(umask 077 && mkdir -p {q(job.directory)}) 2> /dev/null\n"
            failed = "{ rmdir .drs-launched; exit 95; }"
            write = f"  (umask 077 && cat > program) <<'{end}' || {failed}\n{job.program}{end}\n"
        return _SUBMIT.format(
            prepare=prepare, dir=q(job.directory), program=write, wrapper=BATCH_WRAPPER,
            flags=" ".join(sbatch_flags(job)), command=q(job.command), refused=REFUSED,
        )  # fmt: skip

    def parse_submit(self, result: RunResult) -> str:
        if result.exit_status != 0:
            message = result.stderr.decode(errors="replace").strip()
            raise SubmitRefused(message or f"exit status {result.exit_status}")
        # --parsable prints `id` or `id;cluster`.
        job_id = result.stdout.decode(errors="replace").strip().split(";")[0]
        if not job_id.isdigit():
            raise SubmitRefused(f"sbatch printed no job id: {job_id[:200]!r}")
        return job_id

    def status_script(self, ids: list[str]) -> str:
        listed = ",".join(str(int(i)) for i in ids)
        # Times in UTC whatever the cluster's zone; -t all: ended jobs too, until
        # MinJobAge. An unknown id alone is an error; in a list it is left out.
        return f"TZ=UTC squeue -h -t all -j {listed} -o '%i{SEP}%T{SEP}%r{SEP}%S' 2>&1"

    def parse_status(self, result: RunResult) -> dict[str, SchedulerState] | None:
        text = result.stdout.decode(errors="replace")
        if result.exit_status != 0:
            if "Invalid job id" in text:
                return {}
            return None  # the controller did not answer: nothing is known
        states: dict[str, SchedulerState] = {}
        for line in text.splitlines():
            fields = line.strip().split(SEP)
            if len(fields) != 4 or not fields[0].isdigit():
                continue
            job_id, state, reason, start = fields
            phase = _phase(state)
            states[job_id] = SchedulerState(
                state,
                phase,
                reason="" if reason == "None" or phase != Phase.PENDING else reason,
                expected_start=_parse_time(start) if phase == Phase.PENDING else None,
            )
        return states

    def history_script(self, ids: list[str]) -> str:
        listed = ",".join(str(int(i)) for i in ids)
        fields = f"-n -P -j {listed} -o JobID,State"
        # slurmdbd where there is one, else the job completion log (jobcomp/filetxt).
        return f"TZ=UTC sacct -X {fields} 2> /dev/null || TZ=UTC sacct -c {fields} 2> /dev/null"

    def parse_history(self, result: RunResult) -> dict[str, SchedulerState]:
        states: dict[str, SchedulerState] = {}
        for line in result.stdout.decode(errors="replace").splitlines():
            fields = line.strip().split(SEP)
            if len(fields) < 2 or not fields[0].isdigit():
                continue
            state = fields[1].split()[0] if fields[1].strip() else ""  # "CANCELLED by 0"
            if state:
                states[fields[0]] = SchedulerState(state, _phase(state))
        return states

    def cancel_script(self, scheduler_job_id: str, *, signal_name: str | None) -> str:
        job = str(int(scheduler_job_id))
        if signal_name is None:
            return f"scancel {job}"
        # --full: the batch shell too (scancel(1): without it, only job steps are signalled).
        return f"scancel --full --signal={q(signal_name)} {job}"

    def explain(self, state: SchedulerState, *, cancelled_by_drs: bool) -> Ending:
        word = state.state
        if cancelled_by_drs:
            return Ending(JobStatus.CANCELLED, "Cancelled by request.")
        if word == "TIMEOUT":
            return Ending(JobStatus.TIMED_OUT, "Slurm ended the job at its walltime (TIMEOUT).")
        if word == "CANCELLED":
            return Ending(
                JobStatus.CANCELLED,
                "Cancelled outside DRS (scancel on the cluster): Slurm state CANCELLED.",
            )
        return Ending(
            JobStatus.FAILED, f"Slurm ended the job ({word}) before it recorded an exit code."
        )
