"""MetricSink parsing (pure) and the server's down-sampled numeric tables."""

from __future__ import annotations

import io
import itertools
from typing import Any

from drs.jobs.tables import read_result_table
from drs.runner.metricsink import MAX_LINE_BYTES, MetricSink, parse_point


def sink() -> MetricSink:
    return MetricSink(job_id="j", owner_id=1, offset=100, count=7)


def test_only_objects_of_finite_numbers_are_points() -> None:
    assert parse_point(b'{"a": 1, "b": -2.5e3}') == {"a": 1, "b": -2500.0}
    for bad in [b"[1]", b"{}", b'{"a": "1"}', b'{"a": true}', b'{"a": NaN}', b'{"a": null}', b"{"]:
        assert parse_point(bad) is None, bad


def test_complete_lines_only_until_the_job_ends() -> None:
    s = sink()
    s.feed(b'{"a": 1}\n\n{"a": 2}\nnope\n{"a": 3}')
    batch = s.take()
    assert batch is not None
    assert [n for n, _ in batch.points] == [8, 9]
    assert (batch.start, batch.end, batch.invalid) == (100, 124, 1)
    s.commit(batch)
    assert (s.offset, s.count, bytes(s.buffer)) == (124, 9, b'{"a": 3}')
    assert s.take() is None
    final = s.take(final=True)
    assert final is not None and final.points == [(10, {"a": 3})]


def test_an_overlong_line_is_dropped_as_it_streams_and_counted_once() -> None:
    s = sink()
    s.feed(b"x" * (MAX_LINE_BYTES + 1))
    first = s.take()
    assert first is not None and first.invalid == 1 and not first.points
    s.commit(first)
    assert not s.buffer and s.skipping
    s.feed(b'yyy\n{"progress": 2}\n')
    second = s.take()
    assert second is not None and second.invalid == 0
    assert second.points == [(8, {"progress": 2})]
    assert second.progress == 1.0  # clamped to 0-1
    s.commit(second)
    assert not s.skipping and s.read_offset == 100 + MAX_LINE_BYTES + 1 + 4 + 16


def table(text: str, path: str = "r.dat", max_points: int = 5000) -> dict[str, Any]:
    return read_result_table(io.BytesIO(text.encode()), path, max_points)


def test_tables_name_columns_pad_rows_and_read_gaps_as_null() -> None:
    t = table("# Q R dR\n0.1 1 0.1\n\n# note\n0.2 nan\n0.3 0.25 0.02 9\n")
    assert t["columns"] == ["Q", "R", "dR", "column 4"]
    assert t["rows"] == [[0.1, 1.0, 0.1, None], [0.2, None, None, None], [0.3, 0.25, 0.02, 9.0]]
    assert t["total_rows"] == 3 and not t["sampled"]
    csv = table('x,"y"\n1,2\n3,oops\n', "a.csv")
    assert csv["columns"] == ["x", "y"]
    assert csv["rows"] == [[1.0, 2.0], [3.0, None]]


def test_large_tables_are_sampled_evenly_within_the_bound() -> None:
    t = table("".join(f"{i} {i * i}\n" for i in range(100_000)), max_points=1000)
    assert t["total_rows"] == 100_000 and t["sampled"]
    assert 500 <= len(t["rows"]) <= 1000
    xs = [row[0] for row in t["rows"]]
    assert xs[0] == 0 and xs == sorted(xs)
    steps = {b - a for a, b in itertools.pairwise(xs)}
    assert len(steps) == 1  # evenly spaced
    assert xs[-1] > 90_000
