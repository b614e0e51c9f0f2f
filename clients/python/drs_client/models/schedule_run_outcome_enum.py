from enum import StrEnum


class ScheduleRunOutcomeEnum(StrEnum):
    CREATED = "created"
    FAILED = "failed"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
