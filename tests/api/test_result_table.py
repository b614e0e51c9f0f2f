"""Result files read as numeric tables: the columns, comments, ragged rows, and an evenly
spaced sample of a large file (`drs.jobs.tables`)."""

from __future__ import annotations

import io
import itertools

from django.core.files.base import File

from drs.jobs.tables import read_result_table, read_table


def test_comments_header_ragged_rows_and_nan() -> None:
    text = "# a comment\n# q r dr\n\n0.1 1 0.1\n0.2 nan\n0.3 x 0.3 9\n"
    table = read_table(io.StringIO(text), None, 100)
    assert table["columns"] == ["q", "r", "dr", "column 4"]
    assert table["rows"] == [
        [0.1, 1.0, 0.1, None],
        [0.2, None, None, None],
        [0.3, None, 0.3, 9.0],
    ]
    assert (table["total_rows"], table["sampled"]) == (3, False)


def test_a_header_row_names_csv_columns() -> None:
    table = read_table(io.StringIO('"x","y"\n1,2\n3,4\n'), ",", 10)
    assert table["columns"] == ["x", "y"]
    assert table["rows"] == [[1.0, 2.0], [3.0, 4.0]]


def test_a_large_file_is_sampled_evenly_and_counted_whole() -> None:
    rows = 100_000
    data = "# i twice\n" + "".join(f"{i} {2 * i}\n" for i in range(rows))
    # A wider row the sample skips still widens the table.
    data = data.replace("\n77777 155554\n", "\n77777 155554 1\n")
    table = read_result_table(File(io.BytesIO(data.encode())), "big.dat", 1000)
    assert table["total_rows"] == rows and table["sampled"]
    assert 500 <= len(table["rows"]) <= 1000
    xs = [r[0] for r in table["rows"]]
    assert xs[0] == 0 and xs[-1] >= rows * 0.95
    gaps = {b - a for a, b in itertools.pairwise(xs)}
    assert len(gaps) == 1  # evenly spaced
    assert all(r[1] == 2 * r[0] for r in table["rows"])
    assert table["columns"] == ["i", "twice", "column 3"]
