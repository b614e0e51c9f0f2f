"""Schedulers: `direct` (a detached process on the host) and `slurm` (sbatch). See base.py."""

from __future__ import annotations

from drs.runner.schedulers.base import Scheduler
from drs.runner.schedulers.direct import DirectScheduler
from drs.runner.schedulers.slurm import SlurmScheduler

SCHEDULERS: dict[str, Scheduler] = {"direct": DirectScheduler(), "slurm": SlurmScheduler()}


def scheduler_for(name: str) -> Scheduler:
    return SCHEDULERS[name]
