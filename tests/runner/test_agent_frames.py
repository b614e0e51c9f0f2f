"""The agent's data frames carry exactly the file's bytes, whichever way they are sent:
sendfile(2) (Linux) or pread (elsewhere), in as many frames as it takes."""

from __future__ import annotations

import json
import os
import struct
import threading
from pathlib import Path

import pytest

from drs.jobs.jobdir import job_command
from drs.runner import agent_main
from drs.runner.remote import WRAPPER


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


def test_the_agent_follows_more_jobs_than_select_can_watch(tmp_path: Path) -> None:
    """Two descriptors per followed job take ~600 jobs past descriptor 1,023, which
    select() refuses: the agent must go on following every job (it died at the next wait)."""
    import queue
    import subprocess
    import sys

    jobs = 600
    proc = subprocess.Popen(
        [sys.executable, agent_main.__file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    frames: queue.Queue[tuple[dict[str, object], bytes]] = queue.Queue()

    def read_exactly(n: int) -> bytes:
        assert proc.stdout is not None
        data = proc.stdout.read(n)
        if len(data) < n:
            raise EOFError
        return data

    def reader() -> None:
        try:
            while True:
                head_len, payload_len = struct.unpack(">II", read_exactly(8))
                header = json.loads(read_exactly(head_len))
                frames.put((header, read_exactly(payload_len) if payload_len else b""))
        except EOFError:
            frames.put(({"t": "eof"}, b""))

    threading.Thread(target=reader, daemon=True).start()

    def next_frame() -> dict[str, object]:
        header, payload = frames.get(timeout=30)
        header["payload"] = payload.decode()
        return header

    try:
        assert next_frame()["t"] == "hello"
        for i in range(jobs):
            job_dir = tmp_path / str(i)
            job_dir.mkdir()
            (job_dir / "stdout").write_bytes(b"job %d\n" % i)
            (job_dir / "stderr").write_bytes(b"")
            command = {"op": "watch", "id": str(i), "dir": str(job_dir), "offsets": [0, 0, None]}
            proc.stdin.write(json.dumps(command).encode() + b"\n")
        proc.stdin.flush()
        seen: set[str] = set()
        while len(seen) < jobs:
            frame = next_frame()
            assert frame["t"] in ("data", "hb"), frame
            if frame["t"] == "data":
                assert frame["payload"] == f"job {frame['id']}\n"
                seen.add(str(frame["id"]))
        # A launch now holds a pipe numbered past 1,023 while its wrapper starts.
        launch = {
            "op": "launch", "id": "new", "dir": str(tmp_path / "new"), "wrapper": WRAPPER,
            "command": job_command(["python3", "./program"], {}), "program": "print('hi')\n",
        }  # fmt: skip
        proc.stdin.write(json.dumps(launch).encode() + b"\n")
        proc.stdin.flush()
        frame = next_frame()
        while frame["t"] == "hb":
            frame = next_frame()
        assert (frame["t"], frame["id"], frame["code"]) == ("launched", "new", 0), frame
        last = tmp_path / str(jobs - 1) / "stdout"
        with last.open("ab") as fh:
            fh.write(b"still followed\n")
        frame = next_frame()
        while frame["t"] == "hb":
            frame = next_frame()
        assert (frame["t"], frame["id"], frame["payload"]) == (
            "data", str(jobs - 1), "still followed\n"
        )  # fmt: skip
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
