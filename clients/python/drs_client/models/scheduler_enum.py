from enum import StrEnum


class SchedulerEnum(StrEnum):
    DIRECT = "direct"
    SLURM = "slurm"

    def __str__(self) -> str:
        return str(self.value)
