#!/usr/bin/env python3
"""DRS follower agent: runs on the job host (stdlib only, Python 3.6+), one per SSH
connection, and follows the output files of every job the runner asks it to.

stdin  (from the runner): JSON lines
    {"op": "watch", "id": JOB, "dir": PATH, "offsets": [STDOUT, STDERR, METRICS] or null,
     "batch": true (optional: a batch scheduler's job, below)}
     (an offset may be null: that file is not followed)
    {"op": "unwatch", "id": JOB}
    {"op": "launch", "id": JOB, "dir": PATH, "command": SH, "wrapper": SH,
     "program": TEXT (optional: create PATH and write it there as `program`)}
stdout (to the runner): frames, each `>II` (header length, payload length), a JSON
header, then the payload bytes:
    {"t": "hello", "v": 1, "mode": "inotify"|"poll"}
    {"t": "data", "id": JOB, "s": 0|1|2, "o": OFFSET} + bytes
                                  (s: 0 stdout, 1 stderr, 2 the DRS_METRICS file)
    {"t": "exit", "id": JOB, "code": N}   after every byte of both streams was sent
    {"t": "gone", "id": JOB, "why": TEXT} the job can no longer end normally
    {"t": "started", "id": JOB}           a batch job's wrapper recorded its pid
    {"t": "hb"}                            every 5 seconds
    {"t": "launched", "id": JOB, "code": N} + output: 0 and the wrapper's two lines
                                           (`pgid start`, `pid start`), or an error
The agent exits when its stdin closes (the connection went away), so it never outlives
the runner that started it. Offsets make it stateless: a new agent resumes exactly
where the runner's persisted bytes end.

A batch job's files are written on a compute node: inotify on this host sees nothing
on a shared filesystem, and the wrapper's pid is not this host's. Its files are polled
(every BATCH_POLL_SECONDS, a stat each) and its liveness is the scheduler's business.

`launch` starts a job on a connection that already has an agent: the same detached
wrapper as the runner's shell launch script, without an SSH channel, a login shell and
the forks of the script's own tools. It never blocks the loop: the wrapper reports its
process ids on a pipe the loop selects on. Given the program, it also creates the job
directory and writes the program once it holds the launch claim (the runner's SFTP
upload took six round trips on a warm connection; a retried launch never rewrites the
program of a job that already runs)."""

import collections
import ctypes
import ctypes.util
import errno
import json
import math
import os
import select
import shutil
import struct
import subprocess
import sys
import time

READ_SIZE = 1 << 20
POLL_SECONDS = 0.02  # stat polling where inotify is missing
BATCH_POLL_SECONDS = 0.02  # batch jobs' files (the runner shows their start within ~0.1 s)
# With inotify, the agent sleeps until a file changes or this period ends: then it
# heartbeats, checks every job's wrapper is alive, and rescans every job (a safety net for
# events that cannot be watched). One wakeup per period whatever the number of jobs.
PERIOD_SECONDS = 5.0
STREAMS = ("stdout", "stderr", "metrics.jsonl")
# `launch` answers, as the shell launch script exits: 0 started (or already running),
# 75 a launch of the job is still starting elsewhere (the runner asks the script, which
# waits for it), 95 the wrapper did not report, 96 a tool is missing, 97 no directory.
IN_PROGRESS = 75
# Wrappers starting at once; more wait their turn (each holds a pipe while it starts).
MAX_LAUNCHING = 32
HAVE_SETSID = []  # looked up on the first launch

IN_MODIFY = 0x2
IN_CLOSE_WRITE = 0x8
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE_SELF = 0x400
IN_MOVE_SELF = 0x800
WATCH_MASK = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF


OUT = 1  # the frames' stream: stdout (tests point it elsewhere)


def write_all(data):
    view = memoryview(data)
    while view:
        try:
            n = os.write(OUT, view)
        except InterruptedError:
            continue
        view = view[n:]


def emit(header, payload=b"", follows=0):
    """A frame; `follows` payload bytes the caller writes itself (send_file)."""
    raw = json.dumps(header, separators=(",", ":")).encode()
    write_all(struct.pack(">II", len(raw), len(payload) or follows) + raw + payload)


def send_file(fd, offset, size):
    """`size` bytes of a file straight to stdout, without copying them through the
    agent: most of its CPU at full speed was reading and writing them. The frame header
    already promised them: if the file shrank meanwhile (a job that truncated its own
    output), the stream cannot go on, so the agent ends and the runner starts another,
    which resumes from the bytes the runner has."""
    while size:
        try:
            sent = os.sendfile(OUT, fd, offset, size)
        except InterruptedError:
            continue
        if sent == 0:
            raise SystemExit("drs agent: an output file shrank while it was being sent")
        offset += sent
        size -= sent


def sendfile_works():
    """sendfile(2) to a pipe is Linux only (2.6.33+); elsewhere bytes go through pread."""
    if not hasattr(os, "sendfile") or not sys.platform.startswith("linux"):
        return False
    try:
        return not os.isatty(OUT)
    except OSError:
        return False


class Inotify:
    def __init__(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.add = libc.inotify_add_watch
        self.add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self.rm = libc.inotify_rm_watch
        self.rm.argtypes = [ctypes.c_int, ctypes.c_int]
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")

    def watch(self, path):
        wd = self.add(self.fd, os.fsencode(path), WATCH_MASK)
        return wd if wd >= 0 else None

    def unwatch(self, wd):
        self.rm(self.fd, wd)

    def read_wds(self):
        wds = set()
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return wds
            pos = 0
            while pos + 16 <= len(buf):
                wd, _mask, _cookie, length = struct.unpack_from("iIII", buf, pos)
                wds.add(wd)
                pos += 16 + length


def process_state(pid):
    """(state, start time) of a process, or None when it does not exist. Start time is
    /proc's clock ticks since boot on Linux, `ps -o lstart` elsewhere: the same token the
    job wrapper recorded, so a recycled pid never passes for the job's process."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as fh:
            raw = fh.read()
        fields = raw[raw.rindex(b")") + 2 :].split()
        return fields[0].decode(), fields[19].decode()
    except FileNotFoundError:
        return None
    except OSError:
        pass
    try:
        out = subprocess.run(
            ["ps", "-o", "stat=,lstart=", "-p", str(pid)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=False,
        ).stdout.decode()
    except OSError:
        return ("?", "")
    if not out.strip():
        return None
    state, _, start = out.strip().partition(" ")
    return state[:1], "_".join(start.split())


class Watch:
    def __init__(self, job_id, directory, offsets, batch=False):
        self.id = job_id
        self.batch = batch
        self.started = False
        self.dir = directory
        self.data = offsets is not None  # None: follow the job's end, not its output
        given = [None if o is None else int(o) for o in offsets or ()]
        self.offsets = (given + [None] * len(STREAMS))[: len(STREAMS)]
        self.fds = [None] * len(STREAMS)
        self.wd = None
        self.done = False
        self.pid = None  # (pid, start) of the wrapper, read from its `pid` file

    def path(self, name):
        return os.path.join(self.dir, name)

    def close(self):
        for fd in self.fds:
            if fd is not None:
                os.close(fd)
        self.fds = [None] * len(STREAMS)

    def exit_code(self):
        try:
            with open(self.path("exit_code"), "rb") as fh:
                return int(fh.read().strip() or b"x")
        except (OSError, ValueError):
            return None

    def drain(self):
        if not self.data:
            return
        for index, name in enumerate(STREAMS):
            if self.offsets[index] is None:
                continue
            if self.fds[index] is None:
                try:
                    self.fds[index] = os.open(self.path(name), os.O_RDONLY)
                except FileNotFoundError:
                    continue
            fd = self.fds[index]
            while True:
                offset = self.offsets[index]
                if SENDFILE:
                    size = os.fstat(fd).st_size - offset
                    if size <= 0:
                        break
                    if size >= SENDFILE_MIN:
                        size = min(size, READ_SIZE)
                        emit({"t": "data", "id": self.id, "s": index, "o": offset}, b"", size)
                        send_file(fd, offset, size)
                        self.offsets[index] += size
                        continue
                data = os.pread(fd, READ_SIZE, offset)
                if not data:
                    break
                emit({"t": "data", "id": self.id, "s": index, "o": offset}, data)
                self.offsets[index] += len(data)

    def pump(self):
        """Exit code first, then drain: if the code existed, every byte is sent."""
        if self.done:
            return
        if self.batch and not self.started and os.path.exists(self.path("pid")):
            self.started = True
            emit({"t": "started", "id": self.id})
        code = self.exit_code()
        try:
            self.drain()
        except OSError as exc:
            self.finish({"t": "gone", "id": self.id, "why": "cannot read output: %s" % exc})
            return
        if code is not None:
            self.finish({"t": "exit", "id": self.id, "code": code})
        elif not os.path.isdir(self.dir):
            self.finish({"t": "gone", "id": self.id, "why": "the job directory vanished"})

    def check_alive(self):
        if self.done or self.batch:
            return
        if self.pid is None:
            try:
                with open(self.path("pid"), "rb") as fh:
                    parts = fh.read().split()
                self.pid = (int(parts[0]), parts[1].decode() if len(parts) > 1 else "")
            except (OSError, ValueError, IndexError):
                return  # not launched yet: the runner watches only launched jobs
        pid, start = self.pid
        state = process_state(pid)
        alive = state is not None and state[0] != "Z" and (not start or state[1] == start)
        if not alive:
            self.pump()  # the wrapper may have written the code just before exiting
            if not self.done:
                self.finish(
                    {
                        "t": "gone",
                        "id": self.id,
                        "why": "the job's wrapper process (pid %d) is gone without an "
                        "exit code (host rebooted, or the process was killed)" % pid,
                    }
                )

    def finish(self, event):
        self.done = True
        self.close()
        emit(event)


class Launch:
    """A wrapper the agent started, until it has reported its process ids on the pipe."""

    def __init__(self, job_id, proc):
        self.id = job_id
        self.proc = proc
        self.output = b""

    def read(self):
        """False once the wrapper closed the pipe (reported, or failed)."""
        try:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
        except InterruptedError:
            return True
        self.output += chunk
        if chunk:
            return True
        self.proc.stdout.close()
        ok = len(self.output.split(b"\n")) >= 3
        emit({"t": "launched", "id": self.id, "code": 0 if ok else 95}, self.output)
        return False


def makedirs_private(path):
    """Create PATH and any missing parents, each 0700 (as the runner's SFTP upload does)."""
    if not path or os.path.isdir(path):
        return
    makedirs_private(os.path.dirname(path))
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        if not os.path.isdir(path):
            raise


def launch(cmd, children):
    """Start a job's wrapper (or report the one that runs). None when answered at once."""
    job_id, directory = cmd["id"], cmd["dir"]

    def answer(code, output):
        emit({"t": "launched", "id": job_id, "code": code}, output)

    if not HAVE_SETSID:
        HAVE_SETSID.append(shutil.which("setsid") is not None)
    if not HAVE_SETSID[0]:
        answer(96, b"drs: 'setsid' is not installed on the host; DRS needs it to run jobs")
        return None
    program = cmd.get("program")
    if program is not None:
        try:
            makedirs_private(directory)
        except OSError as exc:
            answer(97, ("drs: cannot use the job directory: %s" % exc).encode())
            return None
    claim = os.path.join(directory, ".drs-launched")
    try:
        os.mkdir(claim)
    except FileExistsError:
        try:
            with open(os.path.join(directory, "pgid"), "rb") as fh:
                pgid = fh.read()
            with open(os.path.join(directory, "pid"), "rb") as fh:
                pid = fh.read()
        except OSError:
            pgid = pid = b""
        if pgid.strip() and pid.strip():
            answer(0, pgid + pid)
        else:
            answer(IN_PROGRESS, b"the job is still starting")
        return None
    except OSError as exc:
        answer(97, ("drs: cannot use the job directory: %s" % exc).encode())
        return None
    try:
        if program is not None:
            path = os.path.join(directory, "program")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(program.encode("utf-8"))
        # Back-dated a second, like the script's `touch`: coarse file times never hide an
        # early result from the collector's `-newer .drs-started`.
        marker = os.path.join(directory, ".drs-started")
        open(marker, "wb").close()
        then = time.time() - 1
        os.utime(marker, (then, then))
        # The wrapper as an argument, not the script's `.drs-wrap` file: every file created
        # here is disk time before the job can start (docs/performance.md, P3).
        proc = subprocess.Popen(
            ["/bin/sh", "-c", cmd["wrapper"], "drs-wrap", cmd["command"]],
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as exc:  # a full disk, no more processes: nothing runs, a retry may
        try:
            os.rmdir(claim)
        except OSError:
            pass
        answer(95, ("drs: could not start the job: %s" % exc).encode())
        return None
    children.append(proc)
    return Launch(job_id, proc)


SENDFILE = False
# Smaller frames go out in one write with their header: one SSH packet for a line, not
# two, which live-log latency shows (docs/performance.md, P1).
SENDFILE_MIN = 64 * 1024


def wait_readable(fds, timeout):
    """The descriptors of `fds` ready to read (or at EOF) within `timeout` seconds. poll(),
    not select(): the agent holds two descriptors per followed job, and select() refuses
    any numbered 1,024 or more, which ~500 jobs reach."""
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    return {fd for fd, _ in poller.poll(math.ceil(timeout * 1000))}


def raise_open_files_limit():
    """Two descriptors per followed job: take the hard limit, where the soft one (often
    1,024) would stop the agent at ~500 jobs."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and hard > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, OSError, ValueError):
        pass


def main():
    global SENDFILE
    SENDFILE = sendfile_works()
    raise_open_files_limit()
    try:
        inotify = Inotify()
        mode = "inotify"
    except (OSError, AttributeError):
        inotify = None
        mode = "poll"
    watches = {}
    batch_watches = set()  # ids of batch jobs: polled, not watched with inotify
    by_wd = {}
    launches = {}  # pipe fd -> Launch
    waiting = collections.deque()  # launch commands beyond MAX_LAUNCHING
    children = []  # wrappers this agent started: reaped once they end
    pending = b""
    emit({"t": "hello", "v": 1, "mode": mode, "pid": os.getpid()})
    next_period = 0.0
    stdin = sys.stdin.fileno()
    while True:
        now = time.monotonic()
        timeout = POLL_SECONDS if inotify is None else max(0.0, next_period - now)
        if batch_watches:
            timeout = min(timeout, BATCH_POLL_SECONDS)
        readable = [stdin] + ([inotify.fd] if inotify is not None else []) + list(launches)
        try:
            ready = wait_readable(readable, timeout)
        except InterruptedError:
            continue
        dirty = set()
        if stdin in ready:
            chunk = os.read(stdin, 65536)
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if not line.strip():
                    continue
                cmd = json.loads(line.decode())
                job_id = cmd["id"]
                if cmd["op"] == "launch":
                    waiting.append(cmd)
                    continue
                old = watches.pop(job_id, None)
                batch_watches.discard(job_id)
                if old is not None:
                    old.close()
                    if old.wd is not None:
                        by_wd.pop(old.wd, None)
                        inotify.unwatch(old.wd)
                if cmd["op"] == "watch":
                    watch = Watch(job_id, cmd["dir"], cmd["offsets"], bool(cmd.get("batch")))
                    watches[job_id] = watch
                    if watch.batch:
                        batch_watches.add(job_id)
                    elif inotify is not None:
                        watch.wd = inotify.watch(watch.dir)
                        if watch.wd is not None:
                            by_wd[watch.wd] = watch
                    dirty.add(job_id)
        for fd in [fd for fd in launches if fd in ready]:
            if not launches[fd].read():
                del launches[fd]
        while waiting and len(launches) < MAX_LAUNCHING:
            started = launch(waiting.popleft(), children)
            if started is not None:
                launches[started.proc.stdout.fileno()] = started
        if inotify is not None and inotify.fd in ready:
            for wd in inotify.read_wds():
                watch = by_wd.get(wd)
                if watch is not None:
                    dirty.add(watch.id)
        now = time.monotonic()
        period = now >= next_period
        if period:
            next_period = now + PERIOD_SECONDS
            emit({"t": "hb"})
            children[:] = [proc for proc in children if proc.poll() is None]
        if inotify is None or period:
            dirty.update(watches)
        else:
            dirty.update(batch_watches)
        for job_id in dirty:
            watch = watches.get(job_id)
            if watch is not None:
                watch.pump()
        for watch in list(watches.values()):
            if period:
                watch.check_alive()
            if watch.done:
                watches.pop(watch.id, None)
                batch_watches.discard(watch.id)
                if watch.wd is not None:
                    by_wd.pop(watch.wd, None)
                    try:
                        inotify.unwatch(watch.wd)
                    except OSError:
                        pass


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
