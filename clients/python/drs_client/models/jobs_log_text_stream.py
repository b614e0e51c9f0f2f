from enum import StrEnum


class JobsLogTextStream(StrEnum):
    ALL = "all"
    STDERR = "stderr"
    STDOUT = "stdout"

    def __str__(self) -> str:
        return str(self.value)
