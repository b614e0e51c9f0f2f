from enum import StrEnum


class ServerKindEnum(StrEnum):
    LOCAL = "local"
    SSH = "ssh"

    def __str__(self) -> str:
        return str(self.value)
