"""The results as one Markdown table (printed, and pasted into docs/performance.md)."""

from __future__ import annotations

from typing import Any


def _met(value: Any) -> str:
    return {True: "met", False: "MISSED", None: "n/a"}.get(value, str(value))


def _ms(d: dict[str, Any] | None, keys: tuple[str, ...] = ("p50", "p95", "p99")) -> str:
    if not d or d.get("p50") is None:
        return "—"
    return " / ".join(f"{d[k]:g}" for k in keys) + " ms"


def _cpu_note(p6: dict[str, Any]) -> str:
    return "; daphne CPU ms per request" if "daphne_cpu_ms" in p6["jobs_list_ms"] else ""


def _p6(d: dict[str, Any]) -> str:
    """p50 / p99 ms, and daphne's CPU per request (robust on a busy machine) if measured."""
    text = _ms(d, ("p50", "p99"))
    return f"{text} (CPU {d['daphne_cpu_ms']:g})" if "daphne_cpu_ms" in d else text


def _projection(p: dict[str, Any] | None) -> str:
    if not p:
        return ""
    return (
        f"marginal {p['marginal_pss_mib_per_job']} MiB PSS ({p['marginal_uss_mib_per_job']} "
        f"USS) per job: 1,000 jobs ~ {p['pss_gib_at_1000_jobs']} GiB"
    )


def rows(results: dict[str, Any]) -> list[list[str]]:
    out: list[list[str]] = []
    m = results["measures"]
    for name, data in m.items():
        if "error" in data:
            first = (data["error"].splitlines() or [""])[0]
            out.append([name, "error", first[:160], "", "", ""])

    if "P1" in m and "runs" in m["P1"]:
        p1 = m["P1"]
        for r in p1["runs"]:
            out.append(
                [
                    f"P1 latency, {r['jobs']} jobs x 10 lines/s (p50/p95/p99)",
                    f"websocket {_ms(r['ws_ms'])}"
                    + (f" ({r['ws_errors']} ws errors)" if r["ws_errors"] else ""),
                    (
                        f"raw asyncssh {_ms(r['raw_asyncssh_ms'])}; "
                        if r.get("raw_asyncssh_ms")
                        else ""
                    )
                    + f"persisted {_ms(r['persisted_ms'])}; published "
                    f"{_ms(r.get('published_ms'))}; DRS CPU {r['drs_cpu_cores']} cores; "
                    f"machine {r.get('machine_busy_fraction', 0):.0%} busy",
                    f"p50 {r['ratio_p50']}x, p99 {r['ratio_p99']}x" if "ratio_p50" in r else "",
                    r.get("goal", ""),
                    _met(r.get("goal_met")) if r.get("goal") else "",
                ]
            )
    if "P2" in m and "bytes" in m["P2"]:
        p2 = m["P2"]
        b, ln = p2["bytes"], p2["lines"]

        def p2_met(row: dict[str, Any]) -> str:
            """Each row's own verdict (the goal applies to each; results.json files
            written before rows carried goal_met are judged the same way here)."""
            met = row.get("goal_met")
            if met is None and row.get("ratio") is not None:
                met = row["ratio"] >= 0.5 and row["drs"]["every_byte_persisted"]
            return _met(met)

        def rounds(row: dict[str, Any]) -> str:
            ratios = row.get("round_ratios")
            if not ratios:
                return ""
            text = f"; median of {len(ratios)} interleaved rounds, of raw: " + " / ".join(
                f"{r:.0%}" for r in ratios if r is not None
            )
            floors = [r for r in row.get("round_ratios_to_floor") or [] if r is not None]
            if floors:
                text += ", of floor: " + " / ".join(f"{r:.0%}" for r in floors)
            return text

        def cpu_budget(row: dict[str, Any]) -> str:
            """Where the machine's CPU went in the median round: on two cores shared with
            the host, DRS's time is at least its CPU over two."""
            drs, rawc = row["drs"].get("cpu_s"), row.get("raw_cpu_s")
            if not drs or not rawc:
                return ""
            return (
                f"; machine CPU s: DRS run {drs['machine']} (DRS {drs['drs']}, PostgreSQL "
                f"{drs['postgres']}, host side and kernel {drs['host']})"
                f" vs raw {rawc['machine']}"
            )

        def floor_of(row: dict[str, Any], unit: str) -> tuple[Any, Any]:
            """(floor rate, its CPU split), also from results written before the floor
            was measured in every round (bytes only, as `program_to_file`)."""
            if f"floor_{unit}" in row:
                return row[f"floor_{unit}"], row.get("floor_cpu_s")
            old = row.get("program_to_file") if unit == "mb_per_s" else None
            return (old["mb_per_s"], old.get("cpu_s")) if old else (None, None)

        def pct(value: Any) -> str:
            return f"{value:.0%}" if value is not None else "—"

        def shape(
            row: dict[str, Any], unit: str, label: str, drs_text: str, raw_text: str,
            more: str = "",
        ) -> None:  # fmt: skip
            floor, floor_cpu = floor_of(row, unit)
            raw_rate = row[f"raw_asyncssh_{unit}"]
            to_floor = row.get("ratio_to_floor")
            if to_floor is None and floor and row.get(f"drs_{unit}"):
                to_floor = round(row[f"drs_{unit}"] / floor, 3)
            persisted = (
                ", every byte persisted" if row["drs"]["every_byte_persisted"] else ", BYTES LOST"
            )
            ratios = f"{pct(row['ratio'])} of raw" + (
                f"; {pct(to_floor)} of floor" if to_floor is not None else ""
            )
            out.append(
                [
                    f"P2 throughput, {label}",
                    drs_text + persisted,
                    f"raw asyncssh {raw_text}{more}"
                    + (f"; file floor {floor:,} {unit_name[unit]}" if floor else "")
                    + (
                        f"; DRS busy {row['drs']['busy_after_seconds']} s after its last chunk"
                        if "busy_after_seconds" in row["drs"]
                        else ""
                    )
                    + rounds(row)
                    + cpu_budget(row),
                    ratios,
                    row.get("goal", p2["goal"]),
                    p2_met(row),
                ]
            )
            if floor:
                cpu = (
                    f"; machine CPU s {floor_cpu['machine']} (host side and kernel "
                    f"{floor_cpu['host']})"
                    if floor_cpu
                    else ""
                )
                out.append(
                    [
                        f"P2 floor, {label}: the program writing its stdout to a file alone",
                        f"{floor:,} {unit_name[unit]}",
                        f"nobody reading it (what a DRS job's stdout is); raw asyncssh "
                        f"{raw_text}{cpu}",
                        f"{pct(floor / raw_rate if raw_rate else None)} of raw",
                        "",
                        "",
                    ]
                )

        unit_name = {"mb_per_s": "MB/s", "lines_per_s": "lines/s"}
        shape(
            b, "mb_per_s", f"{b['drs']['bytes_expected'] / 1e6:.0f} MB",
            f"{b['drs_mb_per_s']} MB/s",
            f"{b['raw_asyncssh_mb_per_s']} MB/s",
            f" (SFTP read alone {b.get('raw_sftp_read_mb_per_s')} MB/s)",
        )  # fmt: skip
        shape(
            ln, "lines_per_s", f"{results['sizes']['p2_lines']:,} lines",
            f"{ln['drs_lines_per_s']:,} lines/s",
            f"{ln['raw_asyncssh_lines_per_s']:,} lines/s",
        )  # fmt: skip
    if "P3" in m and "cold" in m["P3"]:
        p3 = m["P3"]
        # "cold <= ...; warm <= ..." (each run states the goals it judged by)
        p3_goals = dict(
            part.strip().split(" ", 1) for part in p3.get("goal", "").split(";") if " " in part
        )
        for kind in ("cold", "warm"):
            d = p3[kind]
            if not d.get("n"):
                continue
            phases = "; ".join(
                f"{name.replace('_', ' ')} {d[f'{name}_ms']}"
                for name in (
                    "post",
                    "queue",
                    "claim_to_directory",
                    "directory_to_uploaded",
                    "uploaded_to_launched",
                    "launched_to_start",
                )
                if d.get(f"{name}_ms") is not None
            )
            if kind == "cold":
                base = (
                    f"asyncssh connect+exec {p3['raw_asyncssh_connect_exec_ms']['p50']} ms; "
                    f"`ssh true` {p3['raw_ssh_cli_true_ms']['p50']} ms"
                )
                ratio = f"{p3['ratio_vs_asyncssh']}x"
                goal, met = p3_goals.get("cold", ""), p3.get("goal_met_cold")
            else:
                base = f"asyncssh exec on an open connection {p3['raw_exec_on_open_connection_ms']['p50']} ms"
                ratio = f"{p3['warm_ratio_vs_exec_on_open']}x"
                goal, met = p3_goals.get("warm", ""), p3.get("goal_met_warm")
            out.append(
                [
                    f"P3 submit → remote start, {kind} pool (p50, n={d['n']})",
                    f"{d['submit_to_start_ms']['p50']} ms (p90 {d['submit_to_start_ms']['p90']})",
                    f"{base}. Phases (ms): {phases}",
                    ratio,
                    goal,
                    _met(met),
                ]
            )
    if "P4" in m and "curve" in m["P4"]:
        p4 = m["P4"]
        for r in p4["curve"]:
            lat = r["ws_ms"] if r["ws_ms"]["p50"] is not None else r["persisted_ms"]
            kind = "websocket" if r["ws_ms"]["p50"] is not None else "persisted"
            mem = r["memory"]
            host = r.get("host") or {}
            out.append(
                [
                    f"P4 {r['jobs']} jobs x 1 line/s"
                    + (f" ({r['program']} tickers)" if r.get("program") == "bash" else ""),
                    f"{kind} {_ms(lat, ('p50', 'p99'))} (persisted "
                    f"{_ms(r['persisted_ms'], ('p50', 'p99'))}); CPU {r.get('runners', '?')} "
                    f"runners {r.get('runners_cpu_cores')} + daphne {r.get('daphne_cpu_cores')} "
                    f"+ sshd {r['sshd_cpu_cores']} cores ({r.get('runners_cpu_ms_per_job_second')} "
                    f"ms per job-second); machine {r.get('machine_busy_fraction', 0):.0%} busy"
                    + (
                        f"; {r['lines_ws']:,} of {r['lines_expected']:,} lines at a websocket"
                        if r["lines_ws"] != r["lines_expected"]
                        else ""
                    ),
                    f"PSS {mem['pss_mib']:.0f} MiB ({r['pss_mib_per_job']}/job), "
                    f"USS {mem['uss_mib']:.0f} MiB, {mem['processes']} procs, "
                    f"{r.get('db_connections', '?')} DB connections; "
                    f"all running after {r['all_running_after_s']} s"
                    + (
                        f"; bench client {r['bench_client_cpu_cores']} cores"
                        if "bench_client_cpu_cores" in r
                        else ""
                    )
                    + (
                        f"; host: {host['user_processes']:,} processes of the jobs' user, "
                        f"{host['sshd_processes']} sshd"
                        if host
                        else ""
                    ),
                    "",
                    r.get("goal", ""),
                    _met(r.get("goal_met")) if r.get("goal") else "",
                ]
            )
        out.append(
            [
                "P4 where it stops",
                f"{p4['stopped']}; within every bound up to {p4.get('max_jobs_ok')} jobs"
                + (
                    f"; first bound missed at {p4['first_bound_missed']}"
                    if p4.get("first_bound_missed")
                    else ""
                ),
                _projection(p4.get("projection")),
                "",
                p4["goal"],
                _met(p4["goal_met"]),
            ]
        )
    probe = m.get("P4", {}).get("probe")
    if probe and "memory" in probe:
        cpu = probe["following_cpu_cores"]
        out.append(
            [
                f"P4 probe: {probe['jobs']} quiet jobs at once",
                ("all running" if probe["all_running"] else f"NOT all running: {probe['statuses']}")
                + f" after {probe['all_running_after_s']} s (submitting took {probe['submit_s']} s)",
                f"PSS {probe['memory']['pss_mib']:.0f} MiB, {probe['db_connections']} DB "
                f"connections; following them: runners {cpu['runners']} + daphne "
                f"{cpu['daphne']} + sshd {probe['sshd_cpu_cores']} cores",
                "",
                probe.get("goal", "all running, PSS <= 4 GiB, <= 30 DB connections"),
                _met(
                    probe["goal_met"]
                    if "goal_met" in probe
                    else probe["all_running"]
                    and probe["memory"]["pss_mib"] <= 4096
                    and probe["db_connections"] <= 30
                ),
            ]
        )
    elif probe:
        out.append(["P4 probe", "error", str(probe.get("error", ""))[:160], "", "", ""])
    if "IDLE" in m and "with_jobs" in m["IDLE"]:
        idle = m["IDLE"]
        w, e = idle["with_jobs"], idle["no_jobs"]
        pg = f"; PostgreSQL {100 * w['postgres_cores']:.2f} %" if w.get("postgres_cores") else ""
        out.append(
            [
                f"Idle cost, {idle['jobs']} quiet jobs followed",
                f"{100 * w['total_cores']:.2f} % of a core",
                f"runners {100 * w['runners_cores']:.2f} %, daphne {100 * w['daphne_cores']:.2f} %, "
                f"scheduler {100 * w['scheduler_cores']:.2f} %, supervisors "
                f"{100 * w['supervisors_cores']:.2f} %, sshd side {100 * w['sshd_side_cores']:.2f} %"
                f"{pg}; DRS with no job {100 * e['total_cores']:.2f} %; machine "
                f"{w.get('machine_busy_fraction', 0):.0%} busy",
                "",
                "<= 1 % of a core",
                _met(idle["goal_met"]),
            ]
        )
    if "P6" in m and "jobs_list_ms" in m["P6"]:
        p6 = m["P6"]
        out.append(
            [
                f"P6 GET /api/jobs/ ({p6['jobs_in_db']:,} jobs; p50/p99{_cpu_note(p6)})",
                f"page 1 {_p6(p6['jobs_list_ms'])}",
                f"deep page {_p6(p6['jobs_list_deep_page_ms'])}; "
                f"status filter {_p6(p6['jobs_list_status_filter_ms'])}",
                "",
                "p99 < 50 ms",
                _met(
                    all(
                        p6[key]["p99"] < 50
                        for key in (
                            "jobs_list_ms",
                            "jobs_list_deep_page_ms",
                            "jobs_list_status_filter_ms",
                        )
                    )
                ),
            ]
        )
        out.append(
            [
                f"P6 GET logs ({p6['chunks_in_job']:,} chunks; p50/p99{_cpu_note(p6)})",
                f"limit 1000 {_p6(p6['logs_default_limit_ms'])}",
                f"tail 1000 {_p6(p6['logs_tail_ms'])}; "
                f"limit 100 {_p6(p6['logs_limit_100_ms'])}"
                + (f"; before+1000 {_p6(p6['logs_before_ms'])}" if "logs_before_ms" in p6 else ""),
                "",
                "p99 < 50 ms",
                _met(p6["logs_default_limit_ms"]["p99"] < 50 and p6["logs_tail_ms"]["p99"] < 50),
            ]
        )
        if "logs_search_ms" in p6:
            out.append(
                [
                    f"P6 log search ({p6['chunks_in_job']:,} lines; p50/max)",
                    "rare, no letters " + _ms(p6["logs_search_ms"], ("p50", "max")),
                    (
                        f"rare word {_ms(p6['logs_search_word_ms'], ('p50', 'max'))}; "
                        f"every line {_ms(p6['logs_search_common_ms'], ('p50', 'max'))}; "
                        if "logs_search_word_ms" in p6
                        else ""
                    )
                    + f"{p6['logs_search_requests']} requests each, whole log each",
                    "",
                    "p50 <= 250 ms",
                    _met(
                        max(
                            p6[key]["p50"]
                            for key in ("logs_search_ms", "logs_search_word_ms")
                            if key in p6
                        )
                        <= 250
                    ),
                ]
            )
    if "P8" in m and "start" in m["P8"]:
        st, po = m["P8"]["start"], m["P8"]["polling"]
        drs, raw = st["drs_submit_to_start_ms"], st["raw_sbatch_to_start_ms"]
        out.append(
            [
                f"P8 submit → program start, idle Slurm node (mean; p50/p90, {st['pairs']} pairs)",
                f"{drs['mean']} ms; {drs['p50']} / {drs['p90']} ms",
                f"raw `sbatch` over an open asyncssh connection {raw['mean']} ms; {raw['p50']} / "
                f"{raw['p90']} ms (allowed mean {st['allowed_mean_ms']} ms)",
                f"{st['ratio_mean']}x",
                "<= 1.2x raw + 20 ms",
                _met(st["start_goal_met"]),
            ]
        )
        out.append(
            [
                f"P8 pending → running at /ws/jobs/ after the program's start ({st['pairs']} jobs)",
                _ms(st["running_visible_ms"], ("p50", "p99")),
                f"max {st['running_visible_ms']['max']} ms; start recorded in the database "
                f"{_ms(st.get('running_recorded_ms'), ('p50', 'p99'))}; "
                f"{st['running_frames_missing']} running frames missing",
                "",
                "p99 <= 100 ms (40 jobs)",
                _met(st["visible_goal_met"]),
            ]
        )
        out.append(
            [
                f"P8 Slurm polling, {po['pending_jobs']} jobs pending",
                f"{po['squeue_per_connection_per_5s']} squeue per connection per 5 s",
                f"{po['squeue_calls']} squeue on {po['connections']} connections in "
                f"{po['window_s']} s (gaps min {po['squeue_gap_s']['min']} s); sdiag job info "
                f"RPCs {po['sdiag_job_info_rpcs_in_window']}; {po['sacct_calls']} sacct",
                "",
                "<= 1 per connection per 5 s",
                _met(po["goal_met"]),
            ]
        )
    if "P9" in m and "upload_mb_s" in m["P9"]:
        p9 = m["P9"]
        out.append(
            [
                f"P9 upload {p9['megabytes']:.0f} MB (POST /api/files/)",
                f"{p9['upload_mb_s']:.0f} MB/s",
                f"bare ASGI app {p9['bare_asgi_upload_mb_s']:.0f} MB/s; web peak RSS "
                f"+{p9['web_peak_rss_growth_mib']:.0f} MiB",
                f"{p9['upload_share_of_bare']:.2f}",
                ">= 0.70; RSS < +64 MiB",
                _met(p9["upload_share_of_bare"] >= 0.7 and p9["web_peak_rss_growth_mib"] < 64),
            ]
        )
        out.append(
            [
                f"P9 staging {p9['megabytes']:.0f} MB into a job",
                f"{p9['staging_mb_s']:.0f} MB/s",
                f"asyncssh SFTP put {p9['sftp_put_mb_s']:.0f} MB/s",
                f"{p9['staging_share_of_put']:.2f}",
                ">= 0.70",
                _met(p9["staging_share_of_put"] >= 0.7),
            ]
        )
    if "P10" in m and "ws_ms" in m["P10"]:
        p10 = m["P10"]
        out.append(
            [
                f"P10 metrics, 1 job x {p10['rate_points_per_s']:,} points/s x "
                f"{p10['duration_s']:g} s (websocket)",
                _ms(p10["ws_ms"], ("p50", "p99")),
                f"{p10['points_stored']:,} of {p10['points_expected']:,} stored, "
                f"{p10['points_ws']:,} on the websocket, {p10['ws_order_errors']} out of order",
                "",
                "p99 <= 100 ms, every point stored",
                _met(p10["goal_met"]),
            ]
        )
    if "NOTIFY" in m and "baseline" in m["NOTIFY"]:
        n = m["NOTIFY"]
        base, hung = n["baseline"], n["with_hung_deliveries"]
        for key, label in [
            ("p1_ws_ms", "P1 1 job websocket (p50/p95/p99)"),
            ("p3_cold_submit_to_start_ms", "P3 cold submit→start (p50/p90)"),
            ("p3_warm_submit_to_start_ms", "P3 warm submit→start (p50/p90)"),
        ]:
            keys = ("p50", "p95", "p99") if key.startswith("p1") else ("p50", "p90")
            out.append(
                [
                    f"NOTIFY {label}",
                    f"{_ms(hung.get(key), keys)} with {n['deliveries']} hung deliveries "
                    f"({n['connections_to_silent_receiver']} connections held)",
                    f"{_ms(base.get(key), keys)} without webhooks",
                    "",
                    n["goal"],
                    "",
                ]
            )
    if "SWEEP" in m and "create_s" in m["SWEEP"]:
        sw = m["SWEEP"]
        delay = sw["other_user_p99_delay_ms"]
        met = sw["create_s"] <= 2.0 and delay is not None and delay <= 50
        out.append(
            [
                f"SWEEP of {sw['jobs']} jobs: POST / all left queued",
                f"{sw['create_s']:g} s / {sw['all_left_queued_s']:g} s",
                f"another user's submit before {_ms(sw['other_user_submit_before_ms'])}, "
                f"during {_ms(sw['other_user_submit_during_ms'])} (p50/p95/p99)",
                f"p99 +{delay} ms" if delay is not None else "",
                "created <= 2 s, others' p99 +<= 50 ms",
                _met(met),
            ]
        )
    if "PLOT" in m and "table" in m["PLOT"]:
        t, live = m["PLOT"]["table"], m["PLOT"]["live"]
        out.append(
            [
                f"PLOT {t['rows_in_file']:,}-point result in the SPA (Chromium): click to "
                "chart drawn / zoom answered",
                f"{t['click_to_drawn_ms']:,} / {t['zoom_ms']} ms",
                f"{t['file_mb']} MB .dat, down-sampled on the server to {t['points_drawn']:,} "
                "points"
                + (
                    f" (that request alone: {t['server_table_ms_median']:,} ms)"
                    if "server_table_ms_median" in t
                    else ""
                ),
                "",
                "<= 1 s in all",
                _met(t["goal_met"]),
            ]
        )
        out.append(
            [
                f"PLOT live metric chart, {live['points_at_start']:,} points + "
                f"{live['rate_points_per_s']:,}/s arriving",
                f"{live['fps']:g} frames/s (worst frame {live['worst_frame_ms']} ms)",
                f"chart updated {live['chart_updates_per_s']:g}/s, {live['points_added']:,} "
                f"points added in {live['window_s']:g} s; {live['points_at_start']:,} stored "
                f"points loaded over the websocket in {live['backfill_s']:g} s",
                "",
                live["goal"],
                _met(live["goal_met"]),
            ]
        )
    return out


def machine_line(results: dict[str, Any]) -> str:
    mach = results["machine"]
    return (
        f"commit {mach.get('commit', '?')}; {mach.get('cores')} cores, {mach.get('cpu') or '?'}, "
        f"{mach.get('memory_gib')} GiB, Python {mach.get('python')}"
    )


def table(results: dict[str, Any]) -> str:
    header = ["Measure", "DRS", "Baseline / detail (same run)", "Ratio", "Goal", "Met"]
    lines = [
        machine_line(results),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(results)
    ]
    mach = results["machine"]
    lines.append("")
    lines.append(
        f"{results['profile']} run, {results['started']}, commit {mach['commit']}: "
        f"{mach['cores']} cores ({mach['cpu']}), {mach['memory_gib']} GiB, "
        f"Python {mach['python']}, load at start {mach['load_avg_at_start']}; "
        f"took {results.get('elapsed_s', '?')} s."
    )
    return "\n".join(lines)
