from enum import StrEnum


class WebhookEventEnum(StrEnum):
    JOB_FAILED = "job.failed"
    JOB_FINISHED = "job.finished"
    JOB_STARTED = "job.started"
    SCHEDULE_FAILED = "schedule.failed"

    def __str__(self) -> str:
        return str(self.value)
