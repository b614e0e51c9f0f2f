"""Result files: what the job created or modified in its directory during the run,
filtered by the job's patterns, copied into Django storage with size and sha256."""

from __future__ import annotations

import fnmatch
import logging
import tempfile
from pathlib import PurePosixPath

import asyncssh
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.files import File

from drs.jobs.jobdir import CONTROL_FILES
from drs.jobs.models import Job, Result
from drs.runner.remote import Remote, ResultTooLarge, results_script
from drs.runner.ssh import DROPPED

log = logging.getLogger(__name__)
MAX_NOTES = 10  # skipped files named in the job's error; the rest are counted


def selected(path: str, patterns: list[str]) -> bool:
    """Globs in order, `!glob` excludes, the last matching pattern wins; no match: no."""
    chosen = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern[1:] if negate else pattern
        glob = glob.removeprefix("./")
        # fnmatch's `*` also matches `/`: `*.txt` selects txt files in subdirectories too.
        if glob and fnmatch.fnmatchcase(path, glob):
            chosen = not negate
    return chosen


def safe_relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts


def parse_listing(raw: bytes) -> list[tuple[str, int]]:
    files = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        size, _, name = entry.partition(b"\t")
        try:
            files.append((name.decode("utf-8"), int(size)))
        except (UnicodeDecodeError, ValueError):
            log.info("skipping a result with a name that is not UTF-8")
    return files


def unreadable_names(raw: bytes) -> list[str]:
    """Listed names that are not UTF-8 (no result can carry them), their bad bytes escaped."""
    names = []
    for entry in raw.split(b"\0"):
        name = entry.partition(b"\t")[2]
        try:
            name.decode("utf-8")
        except UnicodeDecodeError:
            names.append(name.decode("utf-8", "backslashreplace"))
    return names


async def collect_results(remote: Remote, job: Job) -> list[str]:
    """Copy the selected files; returns human notes about files that were skipped.

    Three limits, each named as it acts: DRS_MAX_RESULT_FILE_BYTES per file,
    DRS_MAX_RESULT_TOTAL_BYTES for all of the job's files together, and
    DRS_MAX_RESULT_FILES files per job (a job that writes a million matching files must
    not fill the database and storage)."""
    patterns = [str(p) for p in job.result_patterns or []]
    if not patterns:
        return []
    directory = job.remote_directory
    listing = await remote.run(results_script(directory))
    if listing.exit_status != 0:
        return ["Result files could not be listed."]
    done = set(await sync_to_async(lambda: list(job.results.values_list("path", flat=True)))())
    file_limit = settings.DRS_MAX_RESULT_FILE_BYTES
    budget = (
        settings.DRS_MAX_RESULT_TOTAL_BYTES
        - await sync_to_async(lambda: sum(job.results.values_list("size", flat=True)))()
    )
    slots = settings.DRS_MAX_RESULT_FILES - len(done)
    notes = [
        f"Result {name} skipped: its name is not UTF-8."
        for name in unreadable_names(listing.stdout)
        if selected(name, patterns)
    ]
    over_count = 0
    for path, size in sorted(parse_listing(listing.stdout)):
        if path in CONTROL_FILES or path.startswith(".drs-launched/") or path in done:
            continue
        if not safe_relative(path) or not selected(path, patterns):
            continue
        if slots <= 0:
            over_count += 1
            continue
        if size > file_limit:
            notes.append(
                f"Result {path} skipped: larger than {file_limit} bytes (DRS_MAX_RESULT_FILE_BYTES)."
            )
            continue
        if size > budget:
            notes.append(
                f"Result {path} skipped: the job's results would pass {settings.DRS_MAX_RESULT_TOTAL_BYTES}"
                " bytes in total (DRS_MAX_RESULT_TOTAL_BYTES)."
            )
            continue
        remote_path = f"{directory}/{path}"
        try:
            # Re-check right before copying: never follow a symlink swapped in meanwhile.
            if not await remote.is_regular_file(remote_path):
                continue
            with tempfile.TemporaryFile() as tmp:
                # The file may have grown since the listing: enforce both limits on the copy.
                size, sha256 = await remote.download(remote_path, tmp, min(file_limit, budget))
                tmp.seek(0)
                await sync_to_async(save_result)(job, path, size, sha256, tmp)
        except ResultTooLarge:
            notes.append(f"Result {path} skipped: it grew past the size limit while being copied.")
            continue
        except (OSError, asyncssh.Error) as exc:
            if remote.is_closed or isinstance(exc, DROPPED):
                raise  # the caller reconnects and collects again, skipping what is stored
            notes.append(f"Result {path} skipped: {exc}")  # unreadable (mode 000), ...
            continue
        budget -= size
        slots -= 1
    if len(notes) > MAX_NOTES:  # one line per skipped file would flood the job's error
        notes[MAX_NOTES:] = [f"{len(notes) - MAX_NOTES} more result file(s) skipped likewise."]
    if over_count:
        notes.append(
            f"{over_count} more result file(s) matched but were not kept: at most "
            f"{settings.DRS_MAX_RESULT_FILES} per job (DRS_MAX_RESULT_FILES)."
        )
    return notes


def save_result(job: Job, path: str, size: int, sha256: str, fh: object) -> None:
    result = Result(job=job, path=path, size=size, sha256=sha256)
    result.file.save(PurePosixPath(path).name, File(fh), save=True)  # type: ignore[arg-type]
