"""Where a job runs: an SSH host (commands over channels, files over SFTP) or, for the
`local` server kind, the worker host itself. Both run the same shell wrapper."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol, cast

import asyncssh

READ_BLOCK = 1024 * 1024
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Files the wrapper keeps in the job dir; never collected as results.
CONTROL_FILES = frozenset(
    {"program", "stdout", "stderr", "pgid", "pgid.tmp", "exit_code", "exit_code.tmp",
     ".drs-started", ".drs-launched"}
)  # fmt: skip


@dataclass(frozen=True)
class RunResult:
    exit_status: int
    stdout: bytes
    stderr: bytes


class Remote(Protocol):
    """The few operations the runner needs on the job's host. Paths are relative to the
    login home (or absolute); errors are OSError or asyncssh.Error."""

    async def run(self, command: str) -> RunResult: ...
    async def write_file(self, path: str, data: bytes) -> None: ...
    async def read_file(self, path: str) -> bytes | None: ...
    async def read_at(self, path: str, offset: int, size: int) -> bytes: ...
    async def is_regular_file(self, path: str) -> bool: ...
    async def download(self, path: str, out: IO[bytes], limit: int) -> tuple[int, str]: ...
    async def close(self) -> None: ...


class SshRemote:
    def __init__(self, conn: asyncssh.SSHClientConnection) -> None:
        self.conn = conn
        self._sftp: asyncssh.SFTPClient | None = None
        self._handles: dict[str, asyncssh.SFTPClientFile] = {}

    async def sftp(self) -> asyncssh.SFTPClient:
        if self._sftp is None:
            self._sftp = await self.conn.start_sftp_client()
        return self._sftp

    async def run(self, command: str) -> RunResult:
        result = await self.conn.run(command, check=False, encoding=None, stdin=asyncssh.DEVNULL)
        status = result.exit_status if result.exit_status is not None else 255
        return RunResult(
            status, cast(bytes, result.stdout or b""), cast(bytes, result.stderr or b"")
        )

    async def write_file(self, path: str, data: bytes) -> None:
        sftp = await self.sftp()
        async with sftp.open(path, "wb", asyncssh.SFTPAttrs(permissions=0o600)) as fh:
            await fh.write(data)

    async def read_file(self, path: str) -> bytes | None:
        sftp = await self.sftp()
        try:
            async with sftp.open(path, "rb") as fh:
                return cast(bytes, await fh.read())
        except asyncssh.SFTPNoSuchFile:
            return None

    async def read_at(self, path: str, offset: int, size: int) -> bytes:
        handle = self._handles.get(path)
        if handle is None:
            sftp = await self.sftp()
            try:
                handle = await sftp.open(path, "rb")
            except asyncssh.SFTPNoSuchFile:
                return b""
            self._handles[path] = handle
        return cast(bytes, await handle.read(size, offset))

    async def is_regular_file(self, path: str) -> bool:
        sftp = await self.sftp()
        try:
            attrs = await sftp.lstat(path)
        except asyncssh.SFTPNoSuchFile:
            return False
        return attrs.type == asyncssh.FILEXFER_TYPE_REGULAR

    async def download(self, path: str, out: IO[bytes], limit: int) -> tuple[int, str]:
        sftp = await self.sftp()
        async with sftp.open(path, "rb") as fh:

            async def read() -> bytes:
                return cast(bytes, await fh.read(READ_BLOCK))

            return await copy_hashed(read, out, limit, path)

    async def close(self) -> None:
        for handle in self._handles.values():
            with contextlib.suppress(OSError, asyncssh.Error):
                await handle.close()
        self._handles.clear()
        self.conn.close()
        with contextlib.suppress(OSError, asyncssh.Error, TimeoutError):
            await asyncio.wait_for(self.conn.wait_closed(), 5)


class ResultTooLarge(Exception):
    pass


async def copy_hashed(
    read: Callable[[], Awaitable[bytes]], out: IO[bytes], limit: int, path: str
) -> tuple[int, str]:
    """Copy a result file block by block: (size, sha256), refusing more than `limit` bytes."""
    digest, size = hashlib.sha256(), 0
    while block := await read():
        size += len(block)
        if size > limit:
            raise ResultTooLarge(path)
        digest.update(block)
        out.write(block)
    return size, digest.hexdigest()


class LocalRemote:
    """The `local` server kind: the same wrapper, run by the worker's own user."""

    def __init__(self) -> None:
        self.home = Path.home()

    def _path(self, path: str) -> Path:
        return self.home / path

    async def run(self, command: str) -> RunResult:
        proc = await asyncio.create_subprocess_exec(
            "/bin/sh", "-c", command,
            cwd=self.home,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        out, err = await proc.communicate()
        return RunResult(proc.returncode if proc.returncode is not None else 255, out, err)

    async def write_file(self, path: str, data: bytes) -> None:
        target = self._path(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    async def read_file(self, path: str) -> bytes | None:
        try:
            return self._path(path).read_bytes()
        except FileNotFoundError:
            return None

    async def read_at(self, path: str, offset: int, size: int) -> bytes:
        try:
            with self._path(path).open("rb") as fh:
                fh.seek(offset)
                return fh.read(size)
        except FileNotFoundError:
            return b""

    async def is_regular_file(self, path: str) -> bool:
        try:
            return self._path(path).lstat().st_mode & 0o170000 == 0o100000
        except FileNotFoundError:
            return False

    async def download(self, path: str, out: IO[bytes], limit: int) -> tuple[int, str]:
        with self._path(path).open("rb") as fh:

            async def read() -> bytes:
                return fh.read(READ_BLOCK)

            return await copy_hashed(read, out, limit, path)

    async def close(self) -> None:
        return None


# --- shell commands ------------------------------------------------------------------------


def q(value: str) -> str:
    return shlex.quote(value)


def job_command(argv: list[str], environment: dict[str, str]) -> str:
    """The command the inner shell runs: exports, then exec of the interpreter (exec, so a
    signal that kills the program shows in the exit status the wrapper records)."""
    for name in environment:
        if not ENV_NAME.fullmatch(name):
            raise ValueError(f"Invalid environment variable name: {name!r}")
    exports = "".join(f"export {name}={q(str(value))}\n" for name, value in environment.items())
    return exports + "exec " + " ".join(q(arg) for arg in argv)


# The two-level detached wrapper of NOTES.md. `mkdir .drs-launched` makes a retried
# launch (a worker that died between launching and recording it) a no-op. The start
# marker is back-dated a second so coarse file timestamps never hide an early result
# (the directory is new: nothing in it but our own files predates the run).
_WRAPPER = """\
cd {dir} || exit 97
mkdir .drs-launched 2>/dev/null || exit 0
touch -d '1 second ago' .drs-started
setsid nohup sh -c '
  setsid sh -c "$1" > stdout 2> stderr < /dev/null &
  echo $! > pgid.tmp && mv pgid.tmp pgid
  wait $!; echo $? > exit_code.tmp && mv exit_code.tmp exit_code
' drs-wrap {command} < /dev/null > /dev/null 2>&1 &
exit 0
"""


def launch_script(directory: str, command: str) -> str:
    return _WRAPPER.format(dir=q(directory), command=q(command))


def mkdir_script(directory: str) -> str:
    return f"umask 077 && mkdir -p -- {q(directory)}"


def kill_script(pgid: int, signal_name: str) -> str:
    # No `--`: dash's builtin kill rejects it; a negative pid is the process group.
    return f"kill -{signal_name} -{int(pgid)} 2>/dev/null; exit 0"


def results_script(directory: str) -> str:
    """Regular files (never symlinks: find does not follow them) created or modified since
    the run started, as NUL-separated `size<TAB>relative path`."""
    return f"cd {q(directory)} || exit 97\nfind . -newer .drs-started -type f -printf '%s\\t%P\\0'"


def remove_dir_script(directory: str) -> str:
    return f"rm -rf -- {q(directory)}"
