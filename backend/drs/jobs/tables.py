"""A result file read as a numeric table, down-sampled on the server so a browser draws a
500 MB file from a few thousand rows (`GET jobs/{id}/results/{rid}/table/`).

The format follows the file's name: `.csv` comma-separated, `.tsv` tab-separated,
anything else whitespace-separated (`.dat`, `.txt`). Lines starting with `#` are
comments; the last comment before the first data row names the columns when it has as
many words as that row has cells, as does a first non-numeric row. A cell that is not a
number is null (NaN); short rows are padded with nulls. One pass with bounded memory:
rows are kept at a stride that doubles whenever twice `max_points` are held, so the
sample is evenly spaced over the whole file whatever its length (the frontend's
`parseTable` reads small files the same way)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from typing import IO, Any

from rest_framework import serializers

MAX_COLUMNS = 64
_SPLIT_WS = re.compile(r"\s+")


def delimiter_for(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".csv"):
        return ","
    if lower.endswith(".tsv"):
        return "\t"
    return None  # whitespace


def split(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return _SPLIT_WS.split(line.strip())
    return [cell.strip().strip('"') for cell in line.split(delimiter)]


def number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_table(lines: Iterable[str], delimiter: str | None, max_points: int) -> dict[str, Any]:
    columns: list[str] = []
    last_comment: list[str] = []
    rows: list[list[float | None]] = []
    stride, total, width = 1, 0, 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            last_comment = split(line.lstrip("#").strip(), delimiter)
            continue
        if total % stride:  # a row the sample skips: only its width counts (no float())
            cells_in_row = len(line.split()) if delimiter is None else line.count(delimiter) + 1
            width = max(width, min(cells_in_row, MAX_COLUMNS))
            total += 1
            continue
        cells = split(line, delimiter)[:MAX_COLUMNS]
        values = [number(c) for c in cells]
        if total == 0 and not columns and all(v is None for v in values):
            columns = cells  # a header row
            continue
        if total == 0 and not columns and len(last_comment) == len(cells):
            columns = last_comment
        if total % stride == 0:
            rows.append(values)
            if len(rows) >= 2 * max_points:
                rows = rows[::2]
                stride *= 2
        width = max(width, len(values))
        total += 1
    width = max(width, len(columns))
    columns = (columns + [f"column {i + 1}" for i in range(len(columns), width)])[:width]
    sampled = rows if len(rows) <= max_points else rows[:: math.ceil(len(rows) / max_points)]
    return {
        "columns": columns,
        "rows": [r + [None] * (width - len(r)) for r in sampled],
        "total_rows": total,
        "sampled": len(sampled) < total,
    }


def read_result_table(file: IO[bytes], path: str, max_points: int) -> dict[str, Any]:
    # Decoded in large blocks, not line by line (a million-line file is a million lines).
    lines = io.TextIOWrapper(file, encoding="utf-8", errors="replace", newline=None)
    try:
        return read_table(lines, delimiter_for(path), max_points)
    finally:
        lines.detach()  # the caller closes its file


class TableQuerySerializer(serializers.Serializer[Any]):
    max_points = serializers.IntegerField(min_value=2, max_value=200_000, default=5000)


class TableSerializer(serializers.Serializer[Any]):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="At most `max_points` rows, evenly spaced over the file; null: not a number.",
    )
    total_rows = serializers.IntegerField(help_text="Data rows in the whole file.")
    sampled = serializers.BooleanField(help_text="Some rows were left out (down-sampled).")
