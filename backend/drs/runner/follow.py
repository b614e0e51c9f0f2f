"""The transport side of following a job: fetch new bytes of stdout/stderr by offset and
notice the exit code. Today it polls one job's files over its own connection (SFTP reads
at an offset: exact, stateless, resumable after any reconnect); it only feeds a LogSink,
so a multiplexed follower can replace it without touching persistence."""

from __future__ import annotations

from dataclasses import dataclass

from drs.runner.logsink import STREAMS, LogSink
from drs.runner.remote import Remote

READ_SIZE = 1024 * 1024


@dataclass
class Poll:
    exit_code: int | None  # seen BEFORE the drain: when set, the streams are complete
    got_bytes: int


def parse_int(raw: bytes | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw.strip() or b"x")
    except ValueError:
        return None


async def read_exit_code(remote: Remote, directory: str) -> int | None:
    return parse_int(await remote.read_file(f"{directory}/exit_code"))


async def poll_once(remote: Remote, directory: str, sink: LogSink | None) -> Poll:
    """Check for the exit code first, then drain both files: if the code existed, every
    byte the job will ever write has been read once this returns."""
    code = await read_exit_code(remote, directory)
    got = 0
    if sink is None:
        return Poll(code, 0)
    for stream in STREAMS:
        while True:
            offset = sink.read_offsets[stream]
            data = await remote.read_at(f"{directory}/{stream}", offset, READ_SIZE)
            sink.feed(stream, data)
            got += len(data)
            if sink.due():
                await sink.flush()
            # After the exit code, only an empty read proves the end of the file.
            if not data or (code is None and len(data) < READ_SIZE):
                break
    return Poll(code, got)
