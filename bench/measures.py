"""The five measures of issue 7. Each takes the environment and its sizes and returns a
JSON-able dict with its figures, its baseline, the ratio and the goal verdict."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench import programs, raw
from bench.common import TERMINAL, dist, epoch, memory, percentile, wait_jobs
from bench.env import BenchEnv, log
from bench.latency import ticker_run
from bench.profile import profiling

# --- P1 log latency ---------------------------------------------------------------------------


def p1_latency(env: BenchEnv, *, levels: list[int], duration: float) -> dict[str, Any]:
    env.start_app(workers=max(levels) + 2)
    runs = []
    for n in levels:
        try:
            runs.append(ticker_run(env, jobs=n, rate=10, duration=duration))
        except Exception as exc:  # report the levels that ran, and why the next did not
            return {"runs": runs, "error": f"{n} jobs: {type(exc).__name__}: {exc}"}
    top = runs[-1]
    p99 = top["ws_ms"]["p99"]
    return {
        "runs": runs,
        "goal": "p99 <= 100 ms at 100 jobs x 10 lines/s",
        # Judged only when the 100-job level was run (quick runs stop below it).
        "goal_met": (p99 is not None and p99 <= 100) if top["jobs"] >= 100 else None,
    }


# --- P2 log throughput -----------------------------------------------------------------------


def _drs_stream(env: BenchEnv, program: str, args: list[str], expected: int) -> dict[str, Any]:
    """Run PROGRAM as a DRS job; time from its own T0 to its last chunk being persisted."""
    assert env.api is not None
    with profiling(env, f"P2-{'bytes' if program == programs.BULK else 'lines'}"):
        job = env.submit(program, args, "throughput")
        detail = wait_jobs(env, [job["id"]], 900)[job["id"]]
    first = env.api.get(f"/api/jobs/{job['id']}/logs/", after=0, limit=1)["results"][0]
    t0 = int(first["data"].split("\n", 1)[0].split()[1]) / 1e9
    last_seq = detail["last_seq"]
    last = env.api.get(f"/api/jobs/{job['id']}/logs/", after=last_seq - 1, limit=1)["results"][0]
    with env.db() as conn:
        stdout_offset, chunks = conn.execute(
            "SELECT stdout_offset, (SELECT count(*) FROM jobs_logchunk WHERE job_id = j.id) "
            "FROM jobs_job j WHERE id = %s",
            (job["id"],),
        ).fetchone()
        stored = conn.execute(
            "SELECT coalesce(sum(length(data)), 0) FROM jobs_logchunk WHERE job_id = %s "
            "AND stream = 'stdout'",
            (job["id"],),
        ).fetchone()[0]
    header = len(first["data"].split("\n", 1)[0]) + 1
    return {
        "job": job["id"],
        "status": detail["status"],
        "seconds": round(epoch(last["time"]) - t0, 3),
        "seconds_to_finished": round(epoch(detail["finished_at"]) - t0, 3)
        if detail["finished_at"]
        else None,
        "bytes_expected": expected + header,
        "bytes_persisted": int(stored),
        "stdout_offset": int(stdout_offset),
        "every_byte_persisted": int(stored) == expected + header == int(stdout_offset),
        "chunks": int(chunks),
        "remote_directory": detail.get("remote_directory") or "",
    }


def p2_throughput(env: BenchEnv, *, megabytes: int, lines: int) -> dict[str, Any]:
    env.start_app(workers=max(env.app_workers, 2))
    assert env.sshd is not None
    total = megabytes * 1_000_000
    out: dict[str, Any] = {}

    log(f"P2: DRS job writing {megabytes} MB")
    drs = _drs_stream(env, programs.BULK, [str(total)], programs.bulk_expected(total))
    log("P2: raw asyncssh reading the same program's stdout")
    rawr = asyncio.run(raw.stream(env, programs.BULK, [str(total)], 1024 * 1024))
    sftp_bytes, sftp_s = asyncio.run(
        raw.sftp_read(env, f"{drs['remote_directory']}/stdout", 1024 * 1024)  # the transport alone
    )
    drs_mbs = drs["bytes_persisted"] / 1e6 / drs["seconds"] if drs["seconds"] > 0 else None
    raw_mbs = rawr.bytes / 1e6 / rawr.seconds
    out["bytes"] = {
        "drs": drs,
        "drs_mb_per_s": round(drs_mbs, 1) if drs_mbs else None,
        "raw_asyncssh_mb_per_s": round(raw_mbs, 1),
        "raw_sftp_read_mb_per_s": round(sftp_bytes / 1e6 / sftp_s, 1),
        "ratio": round(drs_mbs / raw_mbs, 3) if drs_mbs else None,
    }

    log(f"P2: DRS job writing {lines:,} short lines")
    drs_l = _drs_stream(env, programs.LINES, [str(lines)], programs.lines_expected(lines))
    raw_l = asyncio.run(raw.stream(env, programs.LINES, [str(lines)], 1024 * 1024))
    drs_lps = lines / drs_l["seconds"] if drs_l["seconds"] > 0 else None
    raw_lps = (raw_l.lines - 1) / raw_l.seconds
    out["lines"] = {
        "drs": drs_l,
        "drs_lines_per_s": round(drs_lps) if drs_lps else None,
        "raw_asyncssh_lines_per_s": round(raw_lps),
        "ratio": round(drs_lps / raw_lps, 3) if drs_lps else None,
    }
    ratios = [out["bytes"]["ratio"], out["lines"]["ratio"]]
    out["goal"] = ">= 50 % of raw asyncssh"
    out["goal_met"] = all(r is not None and r >= 0.5 for r in ratios) and all(
        x["drs"]["every_byte_persisted"] for x in (out["bytes"], out["lines"])
    )
    log(
        f"P2: {out['bytes']['drs_mb_per_s']} MB/s vs raw {out['bytes']['raw_asyncssh_mb_per_s']}; "
        f"{out['lines']['drs_lines_per_s']} lines/s vs raw {out['lines']['raw_asyncssh_lines_per_s']}"
    )
    return out


# --- P3 submit overhead ------------------------------------------------------------------------


def _drs_submit_once(env: BenchEnv) -> dict[str, float]:
    assert env.api is not None
    t = time.time_ns()
    job = env.submit(programs.START, [], "submit")
    posted = time.time_ns()
    deadline = time.monotonic() + 60
    while True:
        page = env.api.get(f"/api/jobs/{job['id']}/logs/", after=0, limit=1)
        if page["results"]:
            t0 = int(page["results"][0]["data"].split()[1])
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"job {job['id']} did not start within 60 s")
        time.sleep(0.005)
    detail = wait_jobs(env, [job["id"]], 60)[job["id"]]
    if detail["status"] not in TERMINAL:
        raise RuntimeError(f"job {job['id']} did not finish")
    return {
        "job": job["id"],
        "submit_to_start": (t0 - t) / 1e9,
        "post": (posted - t) / 1e9,
        "created_to_start": t0 / 1e9 - epoch(detail["created_at"]),
        "t0": t0 / 1e9,
        "created": epoch(detail["created_at"]),
        **_remote_marks(env, detail.get("remote_directory") or ""),
    }


def _remote_marks(env: BenchEnv, directory: str) -> dict[str, float]:
    """When the runner uploaded the program and ran the launch script: mtimes of files in
    the job dir (the bench sshd is on this machine, same clock)."""
    assert env.sshd is not None
    marks: dict[str, float] = {}
    base = env.sshd.key_user.home / directory
    for key, name in (("uploaded", "program"), ("launched", ".drs-launched")):
        with contextlib.suppress(OSError):
            marks[key] = (base / name).stat().st_mtime
    return marks


def _task_started(env: BenchEnv) -> dict[str, float]:
    """job id -> when a django-q2 worker began its run_job task (django_q_task.started)."""
    import base64
    import pickle

    out: dict[str, float] = {}
    with env.db() as conn:
        rows = conn.execute(
            "SELECT args, extract(epoch FROM started) FROM django_q_task "
            "WHERE func = 'drs.jobs.tasks.run_job' ORDER BY started"
        ).fetchall()
    for args, started in rows:
        try:
            job_id = str(pickle.loads(base64.b64decode(args))[0])  # noqa: S301 (our own rows)
        except (ValueError, IndexError, pickle.UnpicklingError, TypeError):
            continue
        out.setdefault(job_id, float(started))
    return out


async def _raw_round(env: BenchEnv, conn: Any) -> dict[str, float]:
    start, total = await raw.connect_exec(env, programs.START)
    return {
        "connect_exec_to_start": start,
        "connect_exec_close": total,
        "exec_on_open_to_start": await raw.exec_on_open(conn, programs.START),
        "run_true_on_open": await raw.run_true(conn),
    }


def p3_submit(env: BenchEnv, *, samples: int) -> dict[str, Any]:
    env.start_app(workers=max(env.app_workers, 2))
    drs: list[dict[str, float]] = []
    rawr: list[dict[str, float]] = []
    cli: list[float] = []

    async def rounds() -> None:
        async with await raw.connect(env) as conn:
            await raw.run_true(conn)  # warm
            _drs_submit_once(env)  # warm: first task of a worker imports the runner
            for i in range(samples):
                # Interleaved, so all three see the same machine noise.
                drs.append(await asyncio.to_thread(_drs_submit_once, env))
                rawr.append(await _raw_round(env, conn))
                cli.append(await asyncio.to_thread(raw.ssh_cli_true, env))
                if (i + 1) % 10 == 0:
                    log(f"P3: {i + 1}/{samples}")

    with profiling(env, "P3"):
        asyncio.run(rounds())

    def med(values: list[float]) -> float:
        return round(statistics.median(values) * 1000, 1)

    def p90(values: list[float]) -> float:
        return round((percentile(values, 90) or 0) * 1000, 1)

    time.sleep(1.5)  # django-q2 saves task rows from its monitor, a moment after the task
    started = _task_started(env)
    queue = [started[d["job"]] - d["created"] for d in drs if d["job"] in started]
    runner = [d["t0"] - started[d["job"]] for d in drs if d["job"] in started]
    to_upload = [
        d["uploaded"] - started[d["job"]] for d in drs if "uploaded" in d and d["job"] in started
    ]
    to_launch = [d["launched"] - d["uploaded"] for d in drs if "launched" in d and "uploaded" in d]
    to_t0 = [d["t0"] - d["launched"] for d in drs if "launched" in d]
    drs_start = [d["submit_to_start"] for d in drs]
    raw_start = [r["connect_exec_to_start"] for r in rawr]
    reuse = [r["exec_on_open_to_start"] for r in rawr]
    out = {
        "samples": samples,
        "drs_submit_to_start_ms": {"p50": med(drs_start), "p90": p90(drs_start)},
        "drs_post_ms": {"p50": med([d["post"] for d in drs])},
        "drs_created_to_start_ms": {"p50": med([d["created_to_start"] for d in drs])},
        # created -> a worker starts the task; task start -> the program's own start
        "drs_queue_ms": {"p50": med(queue) if queue else None},
        "drs_task_to_start_ms": {"p50": med(runner) if runner else None},
        # ...of which: task start -> program uploaded (admit, claim, connect, mkdir, SFTP),
        # upload -> launch script ran, launch -> the program's own start (sh + python)
        "drs_task_to_uploaded_ms": {"p50": med(to_upload) if to_upload else None},
        "drs_uploaded_to_launched_ms": {"p50": med(to_launch) if to_launch else None},
        "drs_launched_to_start_ms": {"p50": med(to_t0) if to_t0 else None},
        "raw_asyncssh_connect_exec_ms": {"p50": med(raw_start), "p90": p90(raw_start)},
        "raw_asyncssh_connect_exec_close_ms": {"p50": med([r["connect_exec_close"] for r in rawr])},
        "raw_exec_on_open_connection_ms": {"p50": med(reuse)},
        "raw_run_true_on_open_ms": {"p50": med([r["run_true_on_open"] for r in rawr])},
        "raw_ssh_cli_true_ms": {"p50": med(cli), "p90": p90(cli)},
    }
    connect_cost = statistics.median(raw_start) - statistics.median(reuse)
    out["ratio_vs_asyncssh"] = round(statistics.median(drs_start) / statistics.median(raw_start), 2)
    out["ratio_vs_ssh_cli"] = round(statistics.median(drs_start) / statistics.median(cli), 2)
    out["with_connection_reuse_estimate_ms"] = round(
        (statistics.median(drs_start) - connect_cost) * 1000, 1
    )
    out["goal"] = "<= 1.5x raw asyncssh connect+exec"
    out["goal_met"] = out["ratio_vs_asyncssh"] <= 1.5
    log(
        f"P3: DRS {out['drs_submit_to_start_ms']['p50']} ms vs asyncssh "
        f"{out['raw_asyncssh_connect_exec_ms']['p50']} ms ({out['ratio_vs_asyncssh']}x), "
        f"ssh true {out['raw_ssh_cli_true_ms']['p50']} ms"
    )
    return out


# --- P4 concurrency ---------------------------------------------------------------------------


def p4_concurrency(
    env: BenchEnv, *, levels: list[int], duration: float, memory_limit_gib: float
) -> dict[str, Any]:
    import psutil

    curve: list[dict[str, Any]] = []
    stopped = ""
    for i, n in enumerate(levels):
        # django-q2 runs one task per worker process: N live jobs need N workers.
        log(f"P4: {n} jobs")
        try:
            env.start_app(workers=n + 2, fresh=True)
            idle = memory(env)
            run = ticker_run(env, jobs=n, rate=1, duration=duration)
        except Exception as exc:  # the level itself failed: that is where it stops
            stopped = f"{n} jobs: {type(exc).__name__}: {str(exc)[:200]}"
            log(f"P4: {stopped}")
            break
        run["idle_memory"] = idle
        mem = run["memory"]
        run["pss_mib_per_job"] = round(mem["pss_mib"] / n, 1)
        run["uss_mib_per_job"] = round(mem["uss_mib"] / n, 1)
        curve.append(run)
        p99 = run["ws_ms"]["p99"] if run["ws_ms"]["p99"] is not None else run["persisted_ms"]["p99"]
        queued = sum(run["not_running_at_start"].values())
        failed = sum(v for k, v in run["statuses"].items() if k != "succeeded")
        if p99 is None or p99 > 1000:
            stopped = f"p99 latency {p99} ms > 1 s at {n} jobs"
        elif queued:
            stopped = f"{queued} of {n} jobs not running when printing began ({run['not_running_at_start']})"
        elif failed:
            stopped = f"{failed} of {n} jobs did not succeed ({run['statuses']})"
        if stopped:
            break
        if i + 1 < len(levels):
            nxt = levels[i + 1]
            if len(curve) >= 2:
                a, b = curve[-2], curve[-1]
                per_job = (b["memory"]["pss_mib"] - a["memory"]["pss_mib"]) / (
                    b["jobs"] - a["jobs"]
                )
            else:
                per_job = run["pss_mib_per_job"]
            projected = (mem["pss_mib"] + max(per_job, 1.0) * (nxt - n)) / 1024
            free = psutil.virtual_memory().available / 2**30
            if projected > min(memory_limit_gib, 0.6 * free):
                stopped = (
                    f"not run: {nxt} jobs would need ~{projected:.1f} GiB, over the "
                    f"{min(memory_limit_gib, 0.6 * free):.1f} GiB guard (--memory-limit-gib)"
                )
                break
    env.stop_app()
    last_ok = [r for r in curve if not stopped or r is not curve[-1]]
    best = last_ok[-1]["jobs"] if last_ok else 0
    projection = None
    if curve:
        # Marginal cost per job from the last two levels (fixed costs cancel out);
        # with one level, the plain average (an overestimate).
        last = curve[-1]
        if len(curve) >= 2:
            prev = curve[-2]
            slope = (last["memory"]["pss_mib"] - prev["memory"]["pss_mib"]) / (
                last["jobs"] - prev["jobs"]
            )
            slope_uss = (last["memory"]["uss_mib"] - prev["memory"]["uss_mib"]) / (
                last["jobs"] - prev["jobs"]
            )
        else:
            slope = last["pss_mib_per_job"]
            slope_uss = last["uss_mib_per_job"]
        projection = {
            "marginal_pss_mib_per_job": round(slope, 1),
            "marginal_uss_mib_per_job": round(slope_uss, 1),
            "pss_gib_at_1000_jobs": round(
                (last["memory"]["pss_mib"] + slope * (1000 - last["jobs"])) / 1024, 2
            ),
        }
    reached = curve[-1] if curve and curve[-1]["jobs"] >= 1000 else None
    return {
        "curve": curve,
        "stopped": stopped or f"completed all levels up to {levels[-1]}",
        "max_jobs_ok": best,
        "projection": projection,
        "goal": "1,000 live jobs within 4 GiB",
        # Met only if 1,000 jobs actually ran within the latency bound and 4 GiB.
        "goal_met": bool(reached and best >= 1000 and reached["memory"]["pss_mib"] <= 4096),
    }


# --- P6 API ---------------------------------------------------------------------------------


def _bulk_jobs(env: BenchEnv, count: int) -> None:
    with env.db() as conn:
        owner = conn.execute("SELECT id FROM auth_user WHERE username = 'benchadmin'").fetchone()[0]
        conn.execute(
            """
            INSERT INTO jobs_job (id, owner_id, title, server_id, credential_id, interpreter_id,
                program, arguments, environment, log_policy, result_patterns, status,
                exit_code, signal, error, created_at, started_at, finished_at,
                remote_directory, stdout_offset, stderr_offset, last_seq, lease_owner,
                remote_pid_start, remote_pgid_start, line_count)
            SELECT gen_random_uuid(), %(owner)s, 'bulk job ' || g, %(server)s, %(cred)s,
                %(interp)s, 'print(1)', '[]', '{}', 'live', '[]',
                (ARRAY['succeeded','failed','cancelled'])[1 + g %% 3], g %% 3, '', '',
                now() - make_interval(secs => g), now() - make_interval(secs => g),
                now() - make_interval(secs => g - 1), '', 2, 0, 1, '', '', '', 1
            FROM generate_series(1, %(count)s) g
            """,
            {
                "owner": owner,
                "server": env.server_id,
                "cred": env.credential_id,
                "interp": env.interpreter_id,
                "count": count,
            },
        )
        conn.execute("ANALYZE jobs_job")


def _bulk_chunks(env: BenchEnv, count: int) -> str:
    with env.db() as conn:
        job_id = conn.execute(
            "SELECT id FROM jobs_job WHERE status = 'succeeded' ORDER BY created_at DESC LIMIT 1"
        ).fetchone()[0]
        conn.execute("DELETE FROM jobs_logchunk WHERE job_id = %s", (job_id,))
        conn.execute(
            """
            INSERT INTO jobs_logchunk (job_id, seq, stream, "offset", data, time, line)
            SELECT %(job)s, g, 'stdout', (g - 1) * 80,
                convert_to(lpad(g::text, 79, '.') || E'\\n', 'UTF8'), now(), g - 1
            FROM generate_series(1, %(count)s) g
            """,
            {"job": job_id, "count": count},
        )
        conn.execute(
            "UPDATE jobs_job SET last_seq = %s, stdout_offset = %s, line_count = %s WHERE id = %s",
            (count, count * 80, count, job_id),
        )
        conn.execute("ANALYZE jobs_logchunk")
    return str(job_id)


def _db_sessions(env: BenchEnv) -> int:
    with env.db() as conn:
        row = conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", (env.db_name,)
        ).fetchone()
    return int(row[0]) if row else 0


def _timed_get(env: BenchEnv, path: str, requests_: int, **params: Any) -> dict[str, Any]:
    assert env.api is not None
    env.api.get(path, **params)  # warm
    times = []
    label = "P6-" + path.strip("/").split("/")[-1] + "-" + "-".join(f"{k}" for k in params)
    with profiling(env, label):
        for _ in range(requests_):
            t = time.perf_counter()
            env.api.get(path, **params)
            times.append(time.perf_counter() - t)
    return dist(times)


def _deep_cursor(env: BenchEnv, jobs: int) -> str:
    """A cursor halfway down the list, taken from a `next` link as a client gets it
    (the list is newest first: the job created jobs // 2 seconds ago)."""
    assert env.api is not None
    with env.db() as conn:
        at = conn.execute(
            "SELECT created_at FROM jobs_job ORDER BY created_at DESC OFFSET %s LIMIT 1",
            (jobs // 2,),
        ).fetchone()[0]
    page = env.api.get("/api/jobs/", page_size=1, created_before=at.isoformat())
    return str(parse_qs(urlsplit(page["next"]).query)["cursor"][0])


def p6_api(env: BenchEnv, *, jobs: int, chunks: int, requests_: int) -> dict[str, Any]:
    env.start_app(workers=max(env.app_workers, 2))
    t = time.perf_counter()
    _bulk_jobs(env, jobs)
    log(f"P6: inserted {jobs:,} jobs in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    job_id = _bulk_chunks(env, chunks)
    log(f"P6: inserted {chunks:,} log chunks in {time.perf_counter() - t:.1f} s")
    middle = chunks // 2
    logs = f"/api/jobs/{job_id}/logs/"
    cursor = _deep_cursor(env, jobs)
    sessions0 = _db_sessions(env)
    out: dict[str, Any] = {
        "jobs_in_db": jobs,
        "chunks_in_job": chunks,
        "requests_each": requests_,
        "jobs_list_ms": _timed_get(env, "/api/jobs/", requests_),
        "jobs_list_deep_page_ms": _timed_get(env, "/api/jobs/", requests_, cursor=cursor),
        "jobs_list_status_filter_ms": _timed_get(env, "/api/jobs/", requests_, status="failed"),
        "logs_default_limit_ms": _timed_get(env, logs, requests_, after=middle),
        "logs_limit_100_ms": _timed_get(env, logs, requests_, after=middle, limit=100),
        "logs_tail_ms": _timed_get(env, logs, requests_, tail=1000),
        "logs_before_ms": _timed_get(env, logs, requests_, before=middle, limit=1000),
    }
    timed = 7  # the _timed_get calls above (each makes requests_ + 1 requests)
    # New PostgreSQL sessions per API request (1.0 = a fresh connection every request).
    # (minus the one session _db_sessions itself opens)
    out["db_sessions_per_request"] = round(
        (_db_sessions(env) - sessions0 - 1) / (timed * (requests_ + 1)), 2
    )
    # Search reads the whole log (every chunk) per request: a few requests suffice.
    searches = max(3, requests_ // 20)
    out["logs_search_ms"] = _timed_get(env, f"{logs}search/", searches, q=f".{middle}")
    out["logs_search_requests"] = searches
    main = [
        out[key]["p99"]
        for key in (
            "jobs_list_ms",
            "jobs_list_deep_page_ms",
            "jobs_list_status_filter_ms",
            "logs_default_limit_ms",
            "logs_tail_ms",
        )
    ]
    out["goal"] = (
        "p99 < 50 ms (GET /api/jobs/ first page, deep cursor page and status filter; "
        "logs limit=1000 and tail)"
    )
    out["goal_met"] = all(v is not None and v < 50 for v in main)
    log(
        f"P6: jobs list p50/p99 {out['jobs_list_ms']['p50']}/{out['jobs_list_ms']['p99']} ms, "
        f"deep {out['jobs_list_deep_page_ms']['p99']} ms, "
        f"status {out['jobs_list_status_filter_ms']['p99']} ms; "
        f"logs p50/p99 {out['logs_default_limit_ms']['p50']}/{out['logs_default_limit_ms']['p99']} ms, "
        f"tail p99 {out['logs_tail_ms']['p99']} ms, search p50 {out['logs_search_ms']['p50']} ms"
    )
    return out
