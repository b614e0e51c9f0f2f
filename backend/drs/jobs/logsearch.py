"""Search the lines of a job's log without holding the log in memory.

The log is stored as chunks cut wherever the output was read, not at newlines, so a line
may span chunks. Every chunk carries `line`, the number of newlines before it in the
combined log, so line numbers need no counting from the start: a chunk that holds only
whole lines and no match is skipped with one substring test. Only an unfinished line
is carried into the next chunk, bounded: its first bytes (for the result's text) and its
last len(q) - 1 bytes (so a match across the chunk boundary is still found).

Case-insensitive: ASCII queries compare bytes lowered (ASCII letters only, which is all
an ASCII query can match case-insensitively), others compare decoded text lowered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT_CHARS = 2000
HEAD_BYTES = 4 * MAX_TEXT_CHARS  # enough bytes for MAX_TEXT_CHARS characters
COUNT_CAP = 10_000


class Matcher:
    def __init__(self, q: str) -> None:
        self.ascii = q.isascii()
        self.needle_bytes = q.lower().encode()
        self.needle_text = q.lower()
        self.overlap = max(0, len(q.encode()) - 1)

    def found(self, data: bytes) -> bool:
        if self.ascii:
            return self.needle_bytes in data.lower()
        return self.needle_text in data.decode("utf-8", errors="replace").lower()


@dataclass(slots=True)
class Line:
    number: int
    seq: int
    stream: str
    head: bytearray = field(default_factory=bytearray)
    tail: bytes = b""
    matched: bool = False

    def add(self, piece: bytes, matcher: Matcher) -> None:
        if not self.matched and matcher.found(self.tail + piece):
            self.matched = True
        if len(self.head) < HEAD_BYTES:
            self.head += piece[: HEAD_BYTES - len(self.head)]
        if matcher.overlap and not self.matched:
            self.tail = (self.tail + piece)[-matcher.overlap :]


def matching_lines(
    rows: Iterable[tuple[int, str, int, bytes]], matcher: Matcher
) -> Iterator[tuple[int, int, str, bytes]]:
    """(line number, seq where it starts, stream, its first bytes) of each matching line;
    rows are (seq, stream, line, data) in seq order."""
    open_line: Line | None = None
    for seq, stream, first_line, raw in rows:
        data = bytes(raw)
        number = first_line
        if open_line is not None and open_line.number != first_line:
            # The line went on in chunks not read here (another stream): it ends here.
            if open_line.matched:
                yield open_line.number, open_line.seq, open_line.stream, bytes(open_line.head)
            open_line = None
        if open_line is not None:
            newline = data.find(b"\n")
            open_line.add(data if newline < 0 else data[:newline], matcher)
            if newline < 0:
                continue
            if open_line.matched:
                yield open_line.number, open_line.seq, open_line.stream, bytes(open_line.head)
            open_line = None
            data = data[newline + 1 :]
            number += 1
        if not data:
            continue
        if not matcher.found(data):
            if data.endswith(b"\n"):
                continue  # only whole lines, none matching: the common case
            last = data.rfind(b"\n")
            open_line = Line(number + data.count(b"\n"), seq, stream)
            open_line.add(data[last + 1 :], matcher)
            continue
        parts = data.split(b"\n")
        rest = parts.pop()  # b"" when the chunk ends with a newline
        for index, part in enumerate(parts):
            if matcher.found(part):
                yield number + index, seq, stream, part[:HEAD_BYTES]
        if rest:
            open_line = Line(number + len(parts), seq, stream)
            open_line.add(rest, matcher)
    if open_line is not None and open_line.matched:
        yield open_line.number, open_line.seq, open_line.stream, bytes(open_line.head)


def search(
    rows: Iterable[tuple[int, str, int, bytes]], q: str, *, cursor: int, limit: int
) -> dict[str, Any]:
    """A page of matches from line `cursor` on, and the matches in the whole log counted up
    to COUNT_CAP. Reading stops once both the page and the count are settled."""
    results: list[dict[str, Any]] = []
    count = 0
    capped = False
    next_cursor: int | None = None
    for number, seq, stream, head in matching_lines(rows, Matcher(q)):
        if count < COUNT_CAP:
            count += 1
        else:
            capped = True
        if number >= cursor:
            if len(results) < limit:
                text = head.decode("utf-8", errors="replace")[:MAX_TEXT_CHARS]
                results.append({"line": number, "seq": seq, "stream": stream, "text": text})
            elif next_cursor is None:
                next_cursor = number
        if capped and next_cursor is not None:
            break
    return {"results": results, "count": count, "capped": capped, "next_cursor": next_cursor}
