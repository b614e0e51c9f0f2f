"""Inputs staged into the job directory before the program starts.

Each input is streamed from Django storage to `<path>.drs-part` (over the job's SSH
connection by SFTP, writes pipelined; or straight to disk for the `local` kind), its
sha256 checked on the host, then renamed to `<path>`: a file at its final path is
always complete. `.drs-staged` marks that all of them are. A runner that restarts
(it died while staging) finds the marker or the finished inputs and stages only the
rest, and never stages into a job whose launch claim (`.drs-launched`) exists: the
launch happens only after staging, so such a job had every input already.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import posixpath
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, TypeVar, cast

import asyncssh
from django.db.models.fields.files import FieldFile

from drs.jobs.inputs import PART_SUFFIX, STAGED_MARKER
from drs.jobs.models import Job, JobInput
from drs.runner.remote import LocalRemote, Remote, SshRemote

T = TypeVar("T")
Db = Callable[..., Awaitable[Any]]

# Storage is read in blocks this large; asyncssh splits each into SFTP writes it keeps
# in flight together, and the next block is read while the previous one is written.
BLOCK = 4 * 1024 * 1024
BLOCKS_IN_FLIGHT = 2
# A connection that went away: not the input's fault; the caller reconnects and retries.
DROPPED = (
    ConnectionError,
    asyncssh.ConnectionLost,
    asyncssh.DisconnectError,
    asyncssh.ChannelOpenError,
)


class StagingFailed(Exception):
    """An input could not be staged; the message names it and the cause."""


@dataclass(frozen=True)
class Staged:
    path: str
    size: int
    sha256: str
    mtime: float
    open: Callable[[], IO[bytes]]  # the bytes in storage; blocking, call in a thread


async def stage_inputs(remote: Remote, job: Job, directory: str, db: Db) -> None:
    """Put every input of JOB at its path in DIRECTORY, checked, before the launch."""
    inputs = await db(_load_inputs, job.pk)
    if not inputs:
        return
    state = await remote.run(_state_script(directory, [i.path for i in inputs]))
    lines = state.stdout.decode(errors="replace").splitlines()
    if "launched" in lines or "staged" in lines:
        return
    present = {line[len("have ") :] for line in lines if line.startswith("have ")}
    missing = [i for i in inputs if i.path not in present]
    for item in missing:
        await _send(remote, directory, item)
    check = await remote.run(_verify_script(directory, missing))
    if check.exit_status != 0:
        output = (check.stdout + check.stderr).decode(errors="replace").strip()
        path, _, cause = output.removeprefix("bad ").partition("\t")
        if not cause:
            path, cause = missing[0].path if missing else STAGED_MARKER, output
        raise StagingFailed(f"Input {path!r} could not be staged: {cause}")


def _load_inputs(job_id: Any) -> list[Staged]:
    rows = JobInput.objects.filter(job_id=job_id).select_related("file", "result")
    staged = []
    for row in rows.order_by("path"):
        source = row.file.blob if row.file is not None else row.result.file  # type: ignore[union-attr]
        created: datetime = (row.file or row.result).created_at  # type: ignore[union-attr]
        staged.append(Staged(row.path, row.size, row.sha256, created.timestamp(), opener(source)))
    return staged


def opener(field: FieldFile) -> Callable[[], IO[bytes]]:
    name, storage = field.name or "", field.storage

    def open_source() -> IO[bytes]:
        return cast(IO[bytes], storage.open(name, "rb"))

    return open_source


def _state_script(directory: str, paths: list[str]) -> str:
    checks = "".join(f"[ -f {q} ] && printf 'have %s\\n' {q}\n" for q in map(shlex.quote, paths))
    return (
        f"cd {shlex.quote(directory)} 2> /dev/null || exit 0\n"
        "[ -d .drs-launched ] && echo launched\n"
        f"[ -f {STAGED_MARKER} ] && echo staged\n" + checks + "exit 0\n"
    )


def _verify_script(directory: str, items: list[Staged]) -> str:
    """Check each part's sha256 on the host, then rename it into place; the marker last."""
    lines = [
        f"cd {shlex.quote(directory)} || exit 97",
        "digest() { if command -v sha256sum > /dev/null; then sha256sum; else shasum -a 256; fi; }",
    ]
    for item in items:
        part, path = shlex.quote(item.path + PART_SUFFIX), shlex.quote(item.path)
        lines.append(
            f'h=$(digest < {part}) || {{ printf "bad %s\\t%s\\n" {path} "no sha256sum"; exit 1; }}; '
            f'if [ "${{h%% *}}" = {item.sha256} ]; then mv -f {part} {path} || exit 1; '
            f'else printf "bad %s\\tsha256 on the host is %s, expected %s\\n" {path} '
            f'"${{h%% *}}" {item.sha256}; exit 1; fi'
        )
    lines.append(f"touch {STAGED_MARKER}")
    return "\n".join(lines) + "\n"


async def _send(remote: Remote, directory: str, item: Staged) -> None:
    target = posixpath.join(directory, item.path + PART_SUFFIX)
    try:
        if isinstance(remote, LocalRemote):
            await asyncio.to_thread(_write_local, remote, target, item)
        elif isinstance(remote, SshRemote):
            await _write_sftp(remote, target, item)
        else:
            raise StagingFailed(f"Input {item.path!r}: this host cannot receive files.")
    except DROPPED:
        raise
    except (OSError, asyncssh.SFTPError) as exc:
        cause = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
        if isinstance(remote, SshRemote) and isinstance(exc, asyncssh.SFTPFailure):
            cause = await _explain_sftp_failure(remote, directory, item, cause)
        raise StagingFailed(f"Input {item.path!r} could not be staged: {cause}") from None


async def _write_sftp(remote: SshRemote, target: str, item: Staged) -> None:
    sftp = await remote.sftp()
    private = asyncssh.SFTPAttrs(permissions=0o700)
    await sftp.makedirs(posixpath.dirname(target), attrs=private, exist_ok=True)
    source = await asyncio.to_thread(item.open)
    try:
        async with sftp.open(target, "wb", asyncssh.SFTPAttrs(permissions=0o600)) as fh:
            writes: set[asyncio.Future[int]] = set()
            offset = 0
            try:
                while block := await asyncio.to_thread(source.read, BLOCK):
                    if len(writes) >= BLOCKS_IN_FLIGHT:
                        done, writes = await asyncio.wait(
                            writes, return_when=asyncio.FIRST_COMPLETED
                        )
                        for write in done:
                            write.result()
                    writes.add(asyncio.ensure_future(fh.write(block, offset)))
                    offset += len(block)
                await asyncio.gather(*writes)
            finally:
                for write in writes:
                    write.cancel()
        # Older than the run's start marker: an input is a result only if the job changes it.
        await sftp.utime(target, (item.mtime, item.mtime))
    finally:
        source.close()


async def _explain_sftp_failure(remote: SshRemote, directory: str, item: Staged, cause: str) -> str:
    """SFTP reports a full disk as a bare "Failure": ask the host how much room is left."""
    with contextlib.suppress(OSError, asyncssh.Error):
        vfs = await (await remote.sftp()).statvfs(directory)
        free = vfs.bavail * vfs.frsize
        if free < item.size:
            return f"no space left on the host ({free} bytes free, the input is {item.size})"
    return cause


def _write_local(remote: LocalRemote, target: str, item: Staged) -> None:
    path = remote.home / target
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with item.open() as source:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            while block := source.read(BLOCK):
                out.write(block)
    os.utime(path, (item.mtime, item.mtime))
