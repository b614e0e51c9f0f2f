from __future__ import annotations

import pytest

from drs.jobs.jobdir import job_command
from drs.runner.jobrun import describe_exit
from drs.runner.logsink import utf8_cut
from drs.runner.results import parse_listing, safe_relative, selected


@pytest.mark.parametrize(
    ("data", "limit", "cut"),
    [
        (b"abc", 10, 3),
        (b"abc", 2, 2),
        ("é".encode() * 3, 3, 2),  # would split the second character
        ("é".encode() * 3, 4, 4),
        (b"ab\xe2\x98", 4, 2),  # incomplete tail is held back
        (b"ab\xe2\x98\x83", 5, 5),
        ("😀".encode(), 3, 0),
        (b"\xff\xff\xff\xff\xff", 3, 3),  # invalid bytes never block a cut
        (b"\x80\x80\x80\x80", 2, 2),
    ],
)
def test_utf8_cut(data: bytes, limit: int, cut: int) -> None:
    assert utf8_cut(data, limit) == cut


def test_result_patterns_last_match_wins() -> None:
    patterns = ["*.txt", "!*.log", "!secret*", "secret-ok.txt"]
    assert selected("a.txt", patterns)
    assert selected("dir/a.txt", patterns)
    assert not selected("a.log", patterns)
    assert not selected("secret.txt", patterns)
    assert selected("secret-ok.txt", patterns)
    assert not selected("a.csv", patterns)
    assert not selected("a.txt", [])
    assert selected("out/x.csv", ["out/*"])


def test_result_paths_stay_inside() -> None:
    assert safe_relative("a/b.txt")
    assert not safe_relative("../x")
    assert not safe_relative("a/../../x")
    assert not safe_relative("/etc/passwd")
    assert parse_listing(b"5\ta.txt\x0012\tsub/b c.txt\x00") == [("a.txt", 5), ("sub/b c.txt", 12)]
    assert parse_listing(b"1\tbad\xff\x00") == []


def test_describe_exit() -> None:
    assert describe_exit(137) == ("SIGKILL", "Killed by SIGKILL (exit status 137).")
    assert describe_exit(143)[0] == "SIGTERM"
    assert describe_exit(255) == ("", "Exited with code 255.")
    assert describe_exit(1) == ("", "Exited with code 1.")


def test_job_command_quotes_everything() -> None:
    cmd = job_command(["/usr/bin/env", "python3", "./program", "a b", "$(x)"], {"V": "'; rm"})
    assert cmd == (
        "export V=''\"'\"'; rm'\n"
        'export DRS_METRICS="$PWD/metrics.jsonl"\n'
        "exec /usr/bin/env python3 ./program 'a b' '$(x)'"
    )
