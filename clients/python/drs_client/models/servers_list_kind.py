from enum import StrEnum


class ServersListKind(StrEnum):
    LOCAL = "local"
    SSH = "ssh"

    def __str__(self) -> str:
        return str(self.value)
