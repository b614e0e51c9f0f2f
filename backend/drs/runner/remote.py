"""Where a job runs: an SSH host (commands over channels, files over SFTP) or, for the
`local` server kind, the worker host itself. Both run the same shell wrapper."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import pwd
import secrets
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol, cast

import asyncssh

from drs.jobs.jobdir import q
from drs.runner import agent
from drs.runner.agent import AgentClient

READ_BLOCK = 1024 * 1024
# The agent channel's receive window: twice asyncssh's 2 MiB, so a flood is acknowledged
# half as often (each window adjust is a packet the runner's loop encrypts and sends).
# Larger is not faster: docs/performance.md, P2.
AGENT_WINDOW = 4 * 1024 * 1024


@dataclass(frozen=True)
class RunResult:
    exit_status: int
    stdout: bytes
    stderr: bytes


class Remote(Protocol):
    """The few operations the runner needs on a job's host. Paths are relative to the
    login home (or absolute); errors are OSError or asyncssh.Error. `run` hands the script
    to `/bin/sh` on stdin, so it never depends on the user's login shell."""

    @property
    def is_closed(self) -> bool: ...

    async def run(self, script: str) -> RunResult: ...
    async def makedirs(self, path: str) -> None: ...
    async def write_file(self, path: str, data: bytes) -> None: ...
    async def read_file(self, path: str) -> bytes | None: ...
    async def read_at(self, path: str, offset: int, size: int) -> bytes: ...
    async def is_regular_file(self, path: str) -> bool: ...
    async def download(self, path: str, out: IO[bytes], limit: int) -> tuple[int, str]: ...
    async def start_agent(self) -> AgentClient: ...
    def forget(self, path: str) -> None: ...
    async def close(self) -> None: ...


class SshRemote:
    """One SSH connection. Exec channels are budgeted below the server's session limit
    (OpenSSH MaxSessions, 10 by default), keeping two for the agent and SFTP."""

    def __init__(self, conn: asyncssh.SSHClientConnection, max_sessions: int = 10) -> None:
        self.conn = conn
        self.channels = asyncio.Semaphore(max(1, max_sessions - 2))
        self.in_use = 0
        self._sftp: asyncssh.SFTPClient | None = None
        self._sftp_lock = asyncio.Lock()
        self._handles: dict[str, asyncssh.SFTPClientFile] = {}

    @property
    def is_closed(self) -> bool:
        return self.conn.is_closed()

    async def sftp(self) -> asyncssh.SFTPClient:
        async with self._sftp_lock:
            if self._sftp is None:
                self._sftp = await self.conn.start_sftp_client()
            return self._sftp

    async def run(self, script: str) -> RunResult:
        self.in_use += 1
        try:
            async with self.channels:
                result = await self.conn.run(
                    "/bin/sh -s", input=script.encode(), check=False, encoding=None
                )
        finally:
            self.in_use -= 1
        status = result.exit_status if result.exit_status is not None else 255
        return RunResult(
            status, cast(bytes, result.stdout or b""), cast(bytes, result.stderr or b"")
        )

    async def makedirs(self, path: str) -> None:
        sftp = await self.sftp()
        await sftp.makedirs(path, attrs=asyncssh.SFTPAttrs(permissions=0o700), exist_ok=True)

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

    def forget(self, path: str) -> None:
        handle = self._handles.pop(path, None)
        if handle is not None:
            task = asyncio.ensure_future(handle.close())
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

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

    async def start_agent(self) -> AgentClient:
        """Install the agent once per version (~/.drs/agent-<hash>.py), then run it. A
        plain command line: any login shell (sh, bash, fish, csh) runs it unchanged."""
        sftp = await self.sftp()
        target = f".drs/{agent.SOURCE_NAME}"
        if not await sftp.exists(target):
            await sftp.makedirs(".drs", attrs=asyncssh.SFTPAttrs(permissions=0o700), exist_ok=True)
            tmp = f"{target}.{os.getpid()}.tmp"
            await self.write_file(tmp, agent.SOURCE)
            with contextlib.suppress(asyncssh.SFTPError):
                await sftp.posix_rename(tmp, target)
        process = await self.conn.create_process(
            f"python3 -u {target}", encoding=None, window=AGENT_WINDOW
        )
        client = AgentClient(process.stdout, process.stdin, process.close)
        await client.start()
        return client

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


def local_environment() -> dict[str, str]:
    """`local` jobs run as the DRS service user: they get a minimal, explicit environment,
    never the worker's own (which holds DRS_CREDENTIALS_KEY, DATABASE_URL, ...)."""
    home = str(Path.home())
    user = pwd.getpwuid(os.getuid()).pw_name
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "USER": user,
        "LOGNAME": user,
        "SHELL": "/bin/sh",
        "LANG": "C.UTF-8",
    }


class LocalRemote:
    """The `local` server kind: the same scripts and agent, run by the worker's user."""

    @property
    def is_closed(self) -> bool:
        return False

    def __init__(self) -> None:
        self.home = Path.home()
        self._agents: list[asyncio.subprocess.Process] = []

    def _path(self, path: str) -> Path:
        return self.home / path

    async def run(self, script: str) -> RunResult:
        proc = await asyncio.create_subprocess_exec(
            "/bin/sh", "-s",
            cwd=self.home,
            env=local_environment(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        out, err = await proc.communicate(script.encode())
        return RunResult(proc.returncode if proc.returncode is not None else 255, out, err)

    async def makedirs(self, path: str) -> None:
        self._path(path).mkdir(mode=0o700, parents=True, exist_ok=True)

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

    def forget(self, path: str) -> None:
        return None

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

    async def start_agent(self) -> AgentClient:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-u", "-c", agent.SOURCE.decode(),
            cwd=self.home,
            env=local_environment(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None

        def close() -> None:
            if proc.returncode is None:
                assert proc.stdin is not None
                proc.stdin.close()

        self._agents = [p for p in self._agents if p.returncode is None] + [proc]
        client = AgentClient(proc.stdout, proc.stdin, close)
        await client.start()
        return client

    async def close(self) -> None:
        """End the agents and reap them while the loop runs: an agent process collected
        after its loop closed is an error (asyncio's transport warns)."""
        agents, self._agents = self._agents, []
        for proc in agents:
            if proc.returncode is None and proc.stdin is not None:
                proc.stdin.close()  # an agent exits when its stdin closes
        for proc in agents:
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()


# --- shell scripts (run by /bin/sh, whatever the login shell) ------------------------------


# A process's start time: /proc's clock ticks on Linux (the 20th field after the `(comm)`
# field, which may hold spaces), `ps -o lstart` elsewhere. The agent reads the same token,
# so a pid the kernel gave to another process never passes for the job's. On Linux only
# shell builtins: the wrapper runs this twice while the job's interpreter starts, and
# forking sed and cut for it delayed every start on a busy host.
_STARTTIME = """\
starttime() {
  if [ -r "/proc/$1/stat" ]; then
    read -r s < "/proc/$1/stat" || return 0
    s=${s##*") "}
    set -f; set -- $s; set +f
    echo "${20}"
  else ps -o lstart= -p "$1" 2>/dev/null | tr -s ' ' '_' | sed 's/^_//;s/_$//'; fi
}
"""

# The detached wrapper (docs/architecture.md "The detached wrapper"), as a file so it needs no nested
# quoting: it starts the job in its own session, records the job's process group and its
# own pid (with start times: liveness and safe signalling), then the exit code, each via
# a temp file + rename so a reader never sees half a number. The wrapper runs in a
# session of its own (setsid), ignoring SIGHUP like nohup would, and the job inherits
# that. It also prints both records on its stdout, then lets go of it: the follower
# agent's launch reads them there (the shell launch script sends them to /dev/null and
# reads the files). A reader that went away must not kill it, so SIGPIPE is ignored
# from there on, after the job started with the default.
WRAPPER = (
    _STARTTIME
    + """\
trap '' HUP
setsid /bin/sh -c "$1" > stdout 2> stderr < /dev/null &
child=$!
group="$child $(starttime $child)"
echo "$group" > pgid.tmp && mv pgid.tmp pgid
self="$$ $(starttime $$)"
echo "$self" > pid.tmp && mv pid.tmp pid
trap '' PIPE
echo "$group"
echo "$self"
exec > /dev/null 2>&1
wait $child
echo $? > exit_code.tmp && mv exit_code.tmp exit_code
"""
)

# `mkdir .drs-launched` makes a retried launch (a connection dropped mid-start, a worker
# that died before recording it) a no-op that reports the running job instead. The start
# marker exists before the job starts (a shell builtin creates it) and is back-dated a
# second once the wrapper is on its way, so coarse file timestamps never hide an early
# result, and `touch` is not one more program started ahead of the job's. The wrapper
# goes to `sh -c` as an argument, like the agent's: a `.drs-wrap` file would be one
# more file and one more `cat` before the job starts. The follower agent's `launch` does
# the same steps without this script (agent_main.py). Given the program, the script also
# creates the directory and writes the program (as the claim's holder), so a cold start
# needs no SFTP session: its start and six round trips would be on every cold start's path.
_LAUNCH = """\
{prepare}cd {dir} || exit 97
for tool in setsid sed cut; do
  command -v $tool > /dev/null 2>&1 || {{ echo "drs: '$tool' is not installed on the host; DRS needs it to run jobs" >&2; exit 96; }}
done
if mkdir .drs-launched 2> /dev/null; then
{program}  true > .drs-started 2> /dev/null
  setsid /bin/sh -c {wrapper} drs-wrap {command} < /dev/null > /dev/null 2>&1 &
  touch -d '1 second ago' .drs-started 2> /dev/null || touch .drs-started
fi
i=0
while [ ! -s pid ]; do
  i=$((i + 1))
  [ $i -gt 3000 ] && {{ echo "drs: the job did not start on the host (no pid recorded)" >&2; exit 95; }}
  sleep 0.01 2> /dev/null || sleep 1
done
cat pgid pid
"""


def embeddable(program: str) -> bool:
    """Whether a here-document carries PROGRAM byte for byte (it always ends a line, and
    the shell cannot hold NUL)."""
    return (program == "" or program.endswith("\n")) and "\0" not in program


def launch_script(directory: str, command: str, program: str | None = None) -> str:
    """The launch script; given an `embeddable` PROGRAM, it also writes it (0600, in
    directories it creates 0700: what the SFTP upload does)."""
    prepare = write = ""
    if program is not None:
        assert embeddable(program)
        end = f"DRS_PROGRAM_END_{secrets.token_hex(8)}"
        while end in program:  # a delimiter line would end the program early
            end = f"DRS_PROGRAM_END_{secrets.token_hex(8)}"
        prepare = f"(umask 077 && mkdir -p {q(directory)}) 2> /dev/null\n"
        failed = "{ rmdir .drs-launched; exit 95; }"  # a retry may launch then
        write = f"  (umask 077 && cat > program) <<'{end}' || {failed}\n{program}{end}\n"
    return _LAUNCH.format(
        prepare=prepare, dir=q(directory), program=write, wrapper=q(WRAPPER), command=q(command)
    )


def kill_script(pgid: int, start: str, signal_name: str) -> str:
    """Signal the job's process group, unless its pid now belongs to another process
    (then the group is gone: the kernel never reuses a pid while its group exists).
    No `--`: dash's builtin kill rejects it; a negative pid is the process group."""
    return (
        _STARTTIME
        + f"now=$(starttime {int(pgid)})\n"
        + f'if [ -n "$now" ] && [ -n {q(start)} ] && [ "$now" != {q(start)} ]; then exit 0; fi\n'
        + f"kill -{signal_name} -{int(pgid)} 2>/dev/null; exit 0\n"
    )


def liveness_script(pids: list[tuple[int, str]]) -> str:
    """For the SFTP transport: print `pid` for every recorded wrapper that is gone (no
    such process, a zombie, or a recycled pid)."""
    lines = [_STARTTIME]
    for pid, start in pids:
        lines.append(
            f"st=$(ps -o stat= -p {int(pid)} 2>/dev/null | cut -c1); now=$(starttime {int(pid)}); "
            f'if [ -z "$now" ] || [ "$st" = Z ] || {{ [ -n {q(start)} ] && [ "$now" != {q(start)} ]; }}; '
            f"then echo {int(pid)}; fi\n"
        )
    return "".join(lines)


def results_script(directory: str) -> str:
    """Regular files (never symlinks: find does not follow them) created or modified since
    the run started, as NUL-separated `size<TAB>relative path`."""
    return f"cd {q(directory)} || exit 97\nfind . -newer .drs-started -type f -printf '%s\\t%P\\0'"


def remove_dir_script(directory: str) -> str:
    return f"rm -rf -- {q(directory)}"
