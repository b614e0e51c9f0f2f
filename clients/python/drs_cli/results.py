"""Download a job's result files, each checked against the sha256 the API lists.

Each file streams into `<name>.part` beside its target while it is hashed, and is renamed
into place only when its size and sha256 match; a mismatch removes it and raises. Paths
come from the server, so one that is absolute or climbs out of the target directory is
refused rather than trusted.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from uuid import UUID

import httpx

from drs_cli.api import iter_all, status_error, transport_error
from drs_cli.errors import DrsError
from drs_client import AuthenticatedClient
from drs_client.api.jobs import jobs_results_list


@dataclass
class Progress:
    """A one-line progress bar on a terminal; one line per finished file elsewhere."""

    total: int
    stream: TextIO = sys.stderr
    done: int = 0
    width: int = 30
    _last_draw: float = 0.0

    @property
    def live(self) -> bool:
        return self.stream.isatty()

    def advance(self, name: str, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.live and now - self._last_draw > 0.1:
            self._last_draw = now
            self._draw(name)

    def _draw(self, name: str) -> None:
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * self.width)
        self.stream.write(
            f"\r[{bar:<{self.width}}] {share:4.0%} {human(self.done)}/{human(self.total)} {name[-40:]}\x1b[K"
        )
        self.stream.flush()

    def finished(self, name: str, size: int, sha256: str) -> None:
        if self.live:
            self._draw(name)
            self.stream.write("\n" if self.done >= self.total else "")
        else:
            self.stream.write(f"{name}  {human(size)}  sha256 {sha256[:12]}… ok\n")
        self.stream.flush()


def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def list_results(client: AuthenticatedClient, job_id: UUID) -> list[Any]:
    return list(iter_all(f"job {job_id}", jobs_results_list.sync_detailed, job_id, client=client))


def safe_target(directory: Path, path: str) -> Path:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise DrsError(f"refusing result path {path!r}: it leaves the download directory")
    return directory.joinpath(*relative.parts)


def download_results(
    client: AuthenticatedClient,
    job_id: UUID,
    directory: Path,
    *,
    progress_stream: TextIO = sys.stderr,
) -> list[Any]:
    """Fetch every result of the job into `directory` (created if needed), checking each
    file's size and sha256; returns the results as the API listed them."""
    results = list_results(client, job_id)
    progress = Progress(sum(int(r.size) for r in results), progress_stream)
    base = str(client._base_url)
    for result in results:
        target = safe_target(directory, result.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        digest, size = hashlib.sha256(), 0
        try:
            with (
                client.get_httpx_client().stream("GET", result.download_url) as response,
                part.open("wb") as fh,
            ):
                if response.status_code != 200:
                    response.read()
                    raise status_error(f"result {result.path}", response, base)
                for block in response.iter_bytes(1 << 16):
                    fh.write(block)
                    digest.update(block)
                    size += len(block)
                    progress.advance(result.path, len(block))
        except httpx.HTTPError as exc:
            part.unlink(missing_ok=True)
            raise transport_error(base, exc) from exc
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        if size != result.size or digest.hexdigest() != result.sha256:
            part.unlink(missing_ok=True)
            raise DrsError(
                f"result {result.path} is corrupt: got {size} bytes with sha256 "
                f"{digest.hexdigest()}, the server lists {result.size} bytes with {result.sha256}"
            )
        part.replace(target)
        progress.finished(result.path, size, result.sha256)
    return results
