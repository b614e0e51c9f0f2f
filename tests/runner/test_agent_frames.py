"""The agent's data frames carry exactly the file's bytes, whichever way they are sent:
sendfile(2) (Linux) or pread (elsewhere), in as many frames as it takes."""

from __future__ import annotations

import json
import os
import struct
import threading
from pathlib import Path

import pytest

from drs.runner import agent_main


def read_frames(fd: int) -> list[tuple[dict[str, object], bytes]]:
    raw = b""
    while chunk := os.read(fd, 65536):
        raw += chunk
    frames = []
    while raw:
        head_len, payload_len = struct.unpack(">II", raw[:8])
        header = json.loads(raw[8 : 8 + head_len])
        frames.append((header, raw[8 + head_len : 8 + head_len + payload_len]))
        raw = raw[8 + head_len + payload_len :]
    return frames


@pytest.mark.parametrize("sendfile", [True, False])
def test_drain_sends_every_byte_from_the_offsets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sendfile: bool
) -> None:
    out = bytes(range(256)) * 40 + b"\xff\xfe end"  # 10 KiB, not UTF-8
    (tmp_path / "stdout").write_bytes(out)
    (tmp_path / "stderr").write_bytes(b"err\n")
    (tmp_path / "metrics.jsonl").write_bytes(b'{"x": 1}\n')
    read_end, write_end = os.pipe()
    # Read as it is written: a pipe holds 16 pages, and each sendfile takes one of them.
    frames: list[tuple[dict[str, object], bytes]] = []
    reader = threading.Thread(target=lambda: frames.extend(read_frames(read_end)))
    reader.start()
    monkeypatch.setattr(agent_main, "OUT", write_end)
    monkeypatch.setattr(agent_main, "SENDFILE", sendfile)
    monkeypatch.setattr(agent_main, "READ_SIZE", 1000)
    monkeypatch.setattr(agent_main, "SENDFILE_MIN", 500)  # both ways in one file
    watch = agent_main.Watch("job", str(tmp_path), [100, 0, 0])
    watch.drain()
    with (tmp_path / "stdout").open("ab") as fh:
        fh.write(b" more")
    watch.drain()  # only what was added since
    watch.close()
    os.close(write_end)
    reader.join(10)
    os.close(read_end)
    by_stream: dict[int, bytes] = {0: b"", 1: b"", 2: b""}
    for header, payload in frames:
        assert header["t"] == "data" and header["id"] == "job"
        stream = int(str(header["s"]))
        assert header["o"] == (100 if stream == 0 else 0) + len(by_stream[stream])
        assert 0 < len(payload) <= 1000
        by_stream[stream] += payload
    assert by_stream == {0: out[100:] + b" more", 1: b"err\n", 2: b'{"x": 1}\n'}
    assert watch.offsets == [len(out) + 5, 4, 9]


def test_a_stream_without_an_offset_is_not_followed(tmp_path: Path) -> None:
    """Log policy `none`: only the metrics file is followed."""
    (tmp_path / "stdout").write_bytes(b"secret output\n")
    (tmp_path / "metrics.jsonl").write_bytes(b'{"x": 1}\n')
    watch = agent_main.Watch("job", str(tmp_path), [None, None, 0])
    read_end, write_end = os.pipe()
    agent_out = agent_main.OUT
    agent_main.OUT = write_end
    try:
        watch.drain()
    finally:
        agent_main.OUT = agent_out
        watch.close()
        os.close(write_end)
    frames = read_frames(read_end)
    os.close(read_end)
    assert [(h["s"], p) for h, p in frames] == [(2, b'{"x": 1}\n')]
