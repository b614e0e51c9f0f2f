"""A job whose wrapper ended without an exit code: lost (host rebooted, process killed), or
its disk is full and the wrapper could not write the code. The second is the job's own
failure, not a loss; these tell them apart from the job directory's file system."""

from __future__ import annotations

from drs.runner.remote import q


def disk_script(directory: str) -> str:
    """`blocks` and `inodes`: the last line of `df -P` of the job directory in KiB and in
    inodes; `unwritten` when the wrapper created exit_code.tmp but could not write to it."""
    return (
        f"cd {q(directory)} 2> /dev/null || exit 97\n"
        'echo "blocks $(df -Pk . 2> /dev/null | tail -n 1)"\n'
        'echo "inodes $(df -Pi . 2> /dev/null | tail -n 1)"\n'
        "if [ -f exit_code.tmp ] && [ ! -s exit_code.tmp ]; then echo unwritten; fi\n"
    )


def _df(line: str) -> tuple[int, int, str] | None:
    """(total, available, mount point) of a `df -P` line."""
    fields = line.split(None, 5)
    try:
        return int(fields[1]), int(fields[3]), fields[5].strip()
    except (IndexError, ValueError):
        return None


def disk_full(output: bytes) -> str:
    """What `disk_script` shows when the disk stopped the wrapper, or ""."""
    found = {}
    for line in output.decode(errors="replace").splitlines():
        tag, _, rest = line.partition(" ")
        found[tag] = rest
    blocks, inodes = _df(found.get("blocks", "")), _df(found.get("inodes", ""))
    if blocks is not None and blocks[1] == 0:
        return f"the disk holding the job's directory ({blocks[2]}) is full"
    # File systems without a fixed inode table (btrfs) report 0 inodes in total.
    if inodes is not None and inodes[0] > 0 and inodes[1] == 0:
        return f"the disk holding the job's directory ({inodes[2]}) has no free inodes"
    if "unwritten" in found:
        where = f" ({blocks[2]}, {blocks[1]} KiB free now)" if blocks else ""
        return f"the job's directory{where} refused the write: disk full or over quota"
    return ""
