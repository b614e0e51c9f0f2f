from enum import StrEnum


class LogPolicyEnum(StrEnum):
    LIVE = "live"
    NONE = "none"
    TOTAL = "total"

    def __str__(self) -> str:
        return str(self.value)
