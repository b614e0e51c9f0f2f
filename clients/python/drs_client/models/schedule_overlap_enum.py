from enum import StrEnum


class ScheduleOverlapEnum(StrEnum):
    ALLOW = "allow"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
