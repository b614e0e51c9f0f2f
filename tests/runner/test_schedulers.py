"""The scheduler modules are pure functions over strings: recorded `squeue`/`sacct`/`sbatch`
output (Slurm 22.05 on these machines) in, states and command lines out."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime

import pytest

from drs.runner.remote import RunResult
from drs.runner.schedulers import scheduler_for
from drs.runner.schedulers.base import BatchJob, Phase, SchedulerState, SubmitRefused
from drs.runner.schedulers.slurm import BATCH_WRAPPER, SlurmScheduler, sbatch_flags

SLURM = SlurmScheduler()


def result(stdout: str = "", stderr: str = "", status: int = 0) -> RunResult:
    return RunResult(status, stdout.encode(), stderr.encode())


def test_squeue_output_maps_to_states() -> None:
    out = (
        "2|PENDING|Resources|2026-12-07T15:30:00\n"
        "3|PENDING|Priority|N/A\n"
        "1|RUNNING|None|2026-12-07T14:58:18\n"
        "4|TIMEOUT|TimeLimit|2026-12-07T14:00:00\n"
        "5|CANCELLED|None|N/A\n"
        "6|WEIRD_NEW_STATE|None|N/A\n"
    )
    states = SLURM.parse_status(result(out))
    assert states is not None
    assert states["2"] == SchedulerState(
        "PENDING", Phase.PENDING, "Resources", datetime(2026, 12, 7, 15, 30, tzinfo=UTC)
    )
    assert states["3"] == SchedulerState("PENDING", Phase.PENDING, "Priority", None)
    assert states["1"] == SchedulerState("RUNNING", Phase.RUNNING, "", None)
    assert states["4"].phase == Phase.ENDED and states["4"].reason == ""
    assert states["5"].phase == Phase.ENDED
    # An unknown state is a named case: wait for the job's files or a known end.
    assert states["6"].phase == Phase.RUNNING


def test_a_controller_that_does_not_answer_is_not_an_answer() -> None:
    down = "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"
    assert SLURM.parse_status(result(down, status=1)) is None
    # One forgotten id alone is an error in squeue; it means "not in the queue".
    assert (
        SLURM.parse_status(result("slurm_load_jobs error: Invalid job id specified\n", status=1))
        == {}
    )


def test_sacct_history() -> None:
    out = "7|FAILED\n8|CANCELLED by 1001\n9|OUT_OF_MEMORY\n10|COMPLETED\n"
    states = SLURM.parse_history(result(out))
    assert {k: v.state for k, v in states.items()} == {
        "7": "FAILED", "8": "CANCELLED", "9": "OUT_OF_MEMORY", "10": "COMPLETED",
    }  # fmt: skip
    assert all(s.phase == Phase.ENDED for s in states.values())


def test_one_call_for_many_jobs() -> None:
    script = SLURM.status_script(["11", "12", "13"])
    assert "-j 11,12,13 " in script and script.count("squeue") == 1
    with pytest.raises(ValueError, match="invalid literal"):
        SLURM.status_script(["1;reboot"])


def test_explain() -> None:
    def end(state: str, drs: bool = False) -> tuple[str, str]:
        ending = SLURM.explain(SchedulerState(state, Phase.ENDED), cancelled_by_drs=drs)
        return ending.status, ending.error

    assert end("TIMEOUT")[0] == "timed_out"
    assert end("CANCELLED") == (
        "cancelled", "Cancelled outside DRS (scancel on the cluster): Slurm state CANCELLED."
    )  # fmt: skip
    assert end("CANCELLED", drs=True) == ("cancelled", "Cancelled by request.")
    for state in ("OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED"):
        status, error = end(state)
        assert status == "failed" and state in error


def test_submit_parsing() -> None:
    assert SLURM.parse_submit(result("42\n")) == "42"
    assert SLURM.parse_submit(result("42;cluster2\n")) == "42"
    refused = "sbatch: error: invalid partition specified: nosuch\n"
    with pytest.raises(SubmitRefused, match="invalid partition specified: nosuch"):
        SLURM.parse_submit(result(stderr=refused, status=94))
    with pytest.raises(SubmitRefused, match="no job id"):
        SLURM.parse_submit(result("Submitted batch job 42\n"))


def test_flags_quote_every_value() -> None:
    job = BatchJob(
        job_id="0123456789abcdef", directory="d", command="c", program=None,
        resources={"partition": "a'b", "constraint": "[x|y]&z", "cpus_per_task": 4,
                   "memory_mb": 8192, "gpus": 0, "nodes": 2},
        timeout_seconds=61,
    )  # fmt: skip
    flags = sbatch_flags(job)
    assert "--partition='a'\"'\"'b'" in flags
    assert "--constraint='[x|y]&z'" in flags
    assert "--cpus-per-task=4" in flags and "--nodes=2" in flags and "--mem=8192M" in flags
    assert "--time=2" in flags  # whole minutes, rounded up
    assert not any(f.startswith("--gpus") for f in flags)  # 0: none asked for
    # The shell reads each flag back as exactly one word with the value intact.
    words = shlex.split(" ".join(flags))
    assert len(words) == len(flags)
    assert "--partition=a'b" in words and "--constraint=[x|y]&z" in words


def test_batch_wrapper_keeps_the_job_in_the_batch_shell_group() -> None:
    assert "setsid" not in BATCH_WRAPPER
    assert "exit_code.tmp" in BATCH_WRAPPER


def test_cancel_scripts() -> None:
    assert SLURM.cancel_script("42", signal_name=None) == "scancel 42"
    assert SLURM.cancel_script("42", signal_name="TERM") == "scancel --full --signal=TERM 42"


def test_direct_scheduler_wraps_the_detached_scripts() -> None:
    direct = scheduler_for("direct")
    script = direct.submit_script(
        BatchJob(job_id="x", directory="jobs/x", command="exec true", program=None)
    )
    assert "mkdir .drs-launched" in script and "setsid" in script
    assert direct.parse_submit(result("123 456\n124 457\n")) == "123 456"
    assert "kill -TERM -123" in direct.cancel_script("123 456", signal_name="TERM")
    assert (
        direct.explain(SchedulerState("GONE", Phase.ENDED), cancelled_by_drs=False).status == "lost"
    )
