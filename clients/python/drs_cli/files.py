"""Uploads (`drs files`) and job inputs (`drs submit --input/--input-result`).

An upload streams the file from disk (never read whole) with a progress bar on a
terminal; a download streams into `<name>.part`, is checked against the listed sha256,
then renamed into place.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, TextIO
from uuid import UUID

import httpx

from drs_cli.api import call, iter_all, request, status_error, transport_error
from drs_cli.errors import DrsError
from drs_cli.results import Progress, list_results
from drs_client import AuthenticatedClient
from drs_client.api.files import files_destroy, files_list, files_retrieve
from drs_client.models import File, JobInputSpecRequest


class _Counted:
    """A file object whose reads advance a progress bar (httpx streams it in blocks)."""

    def __init__(self, fh: BinaryIO, progress: Progress, name: str) -> None:
        self.fh, self.progress, self.name = fh, progress, name

    def read(self, size: int = -1) -> bytes:
        block = self.fh.read(size)
        self.progress.advance(self.name, len(block))
        return block

    # Let httpx see the size (a Content-Length, not a chunked body) and rewind.
    def fileno(self) -> int:
        return self.fh.fileno()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.fh.seek(offset, whence)

    def tell(self) -> int:
        return self.fh.tell()

    def __iter__(self) -> Iterator[bytes]:
        while block := self.read(1 << 20):
            yield block


def upload(
    client: AuthenticatedClient, path: Path, *, name: str = "", stream: TextIO | None = None
) -> File:
    """POST the file to /api/files/, streamed; returns the stored file (id, sha256)."""
    base = str(client._base_url)
    try:
        size = path.stat().st_size
        fh = path.open("rb")
    except OSError as exc:
        raise DrsError(f"cannot read {path}: {exc.strerror}") from None
    progress = Progress(size, stream or sys.stderr)
    data = {"name": name} if name else {}
    try:
        with fh:
            response = client.get_httpx_client().post(
                "/api/files/",
                files={"file": (path.name, _Counted(fh, progress, path.name))},  # type: ignore[dict-item]
                data=data,
                timeout=None,
            )
    except httpx.HTTPError as exc:
        raise transport_error(base, exc) from exc
    if response.status_code != 201:
        raise status_error(f"upload of {path}", response, base)
    stored = File.from_dict(response.json())
    progress.finished(path.name, stored.size, stored.sha256)
    return stored


def download(client: AuthenticatedClient, file_id: UUID, target: Path | None) -> File:
    """Into TARGET (a file, or a directory for the file's own name; default here)."""
    base = str(client._base_url)
    info = call(f"file {file_id}", files_retrieve.sync_detailed, file_id, client=client)
    name = PurePosixPath(info.name).name or str(file_id)
    target = target or Path(name)
    if target.is_dir():
        target = target / name
    part = target.with_name(target.name + ".part")
    digest, size = hashlib.sha256(), 0
    try:
        with (
            client.get_httpx_client().stream("GET", f"/api/files/{file_id}/download/") as resp,
            part.open("wb") as out,
        ):
            if resp.status_code != 200:
                resp.read()
                raise status_error(f"file {file_id}", resp, base)
            for block in resp.iter_bytes(1 << 16):
                out.write(block)
                digest.update(block)
                size += len(block)
    except httpx.HTTPError as exc:
        part.unlink(missing_ok=True)
        raise transport_error(base, exc) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if size != info.size or digest.hexdigest() != info.sha256:
        part.unlink(missing_ok=True)
        raise DrsError(f"file {file_id} arrived corrupt: sha256 {digest.hexdigest()}")
    part.replace(target)
    return info


def list_files(client: AuthenticatedClient) -> list[Any]:
    return list(iter_all("files", files_list.sync_detailed, client=client))


def remove(client: AuthenticatedClient, file_id: UUID) -> None:
    request(f"file {file_id}", files_destroy.sync_detailed, file_id, client=client)


def parse_input(value: str) -> tuple[Path, str]:
    """`--input LOCAL[:REMOTE]` → (local file, path in the job dir, default its base name)."""
    local, sep, remote = value.partition(":")
    if not local or (sep and not remote):
        raise DrsError(f"bad --input {value!r}: expected LOCAL or LOCAL:REMOTE/PATH")
    return Path(local), remote or Path(local).name


def upload_inputs(
    client: AuthenticatedClient, values: list[str], stream: TextIO | None = None
) -> list[JobInputSpecRequest]:
    inputs = []
    for value in values:
        local, remote = parse_input(value)
        stored = upload(client, local, stream=stream)
        inputs.append(JobInputSpecRequest(file=stored.id, path=remote))
    return inputs


def result_inputs(client: AuthenticatedClient, values: list[str]) -> list[JobInputSpecRequest]:
    """`--input-result JOB:RESULT[:REMOTE]`: a result of an earlier job, by its path."""
    inputs = []
    for value in values:
        job, _, rest = value.partition(":")
        wanted, _, remote = rest.partition(":")
        try:
            job_id = UUID(job)
        except ValueError:
            raise DrsError(f"bad --input-result {value!r}: expected JOB:RESULT_PATH") from None
        matches = [r for r in list_results(client, job_id) if r.path == wanted]
        if not matches:
            raise DrsError(f"job {job_id} has no result {wanted!r} (see `drs results {job_id}`)")
        path = remote or PurePosixPath(wanted).name
        inputs.append(JobInputSpecRequest(result=matches[0].id, path=path))
    return inputs
