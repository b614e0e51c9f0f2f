import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import uPlot from "uplot";
import { api, type JobSummary } from "../../api/client";
import { Plot, type PlotSeries } from "../../components/Plot";
import { jobQueries } from "../jobs/queries";
import { loadTable } from "./loadTable";
import type { NumericTable } from "./parseTable";
import { AxesPicker, tableSeries, useAxes } from "./TablePlot";

/**
 * Overlay the same result file (or the same metric) from several jobs on one chart:
 * reruns, the jobs of a sweep, or jobs picked from the list.
 * `/compare?jobs=<id>,<id>&file=<path>` or `&metric=<name>`.
 */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const ids = (params.get("jobs") ?? "").split(",").filter(Boolean);
  const file = params.get("file") ?? "";
  const metric = params.get("metric") ?? "";
  const set = (changes: Record<string, string>) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });
  const toggle = (id: string, on: boolean) =>
    set({
      jobs: (on ? [...ids.filter((j) => j !== id), id] : ids.filter((j) => j !== id)).join(","),
    });

  return (
    <section className="page compare">
      <h1>Compare jobs</h1>
      <div className="compare-source card">
        <label>
          Result file{" "}
          <input
            aria-label="result file"
            value={file}
            placeholder="out/reflectivity.dat"
            onChange={(e) => set({ file: e.target.value, metric: "" })}
          />
        </label>{" "}
        or metric{" "}
        <input
          aria-label="metric"
          value={metric}
          placeholder="chi2"
          onChange={(e) => set({ metric: e.target.value, file: "" })}
        />
      </div>
      {ids.length === 0 ? (
        <p className="muted">Pick jobs below.</p>
      ) : file ? (
        <ResultOverlay ids={ids} path={file} />
      ) : metric ? (
        <MetricOverlay ids={ids} name={metric} />
      ) : (
        <p className="muted">Name a result file or a metric.</p>
      )}
      <JobPicker selected={ids} onToggle={toggle} />
    </section>
  );
}

function JobPicker({
  selected,
  onToggle,
}: {
  selected: string[];
  onToggle: (id: string, on: boolean) => void;
}) {
  const [search, setSearch] = useState("");
  const list = useQuery(
    jobQueries.list({
      status: [],
      server: null,
      createdAfter: null,
      createdBefore: null,
      search,
      cursor: null,
    }),
  );
  const rows: JobSummary[] = list.data?.results ?? [];
  return (
    <fieldset className="job-picker card">
      <legend>Jobs</legend>
      <input
        aria-label="search jobs"
        placeholder="Search titles"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <ul>
        {rows.map((j) => (
          <li key={j.id}>
            <label>
              <input
                type="checkbox"
                aria-label={`compare ${j.title || j.id}`}
                checked={selected.includes(j.id)}
                onChange={(e) => onToggle(j.id, e.target.checked)}
              />{" "}
              {j.title || j.id.slice(0, 8)} <span className="muted small">{j.status}</span>
            </label>{" "}
            <Link className="small" to={`/jobs/${j.id}`}>
              open
            </Link>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

interface Loaded {
  id: string;
  label: string;
  table: NumericTable | null;
  error?: string;
}

async function loadJobTable(id: string, path: string, signal: AbortSignal): Promise<Loaded> {
  const job = await api.GET("/api/jobs/{id}/", { params: { path: { id } }, signal });
  const label = job.data?.title || id.slice(0, 8);
  const results = await api.GET("/api/jobs/{id}/results/", { params: { path: { id } }, signal });
  const result = (results.data ?? []).find((r) => r.path === path);
  if (!result) return { id, label, table: null, error: "no such result file" };
  const { table } = await loadTable(id, result, signal);
  return { id, label, table };
}

/** Several tables on one x: uPlot.join aligns them (a job's gaps are null). */
function ResultOverlay({ ids, path }: { ids: string[]; path: string }) {
  const [loaded, setLoaded] = useState<Loaded[] | null>(null);
  const key = ids.join(",");
  useEffect(() => {
    const abort = new AbortController();
    setLoaded(null);
    Promise.all(
      key.split(",").map((id) =>
        loadJobTable(id, path, abort.signal).catch((e: unknown) => ({
          id,
          label: id.slice(0, 8),
          table: null,
          error: e instanceof Error ? e.message : "failed",
        })),
      ),
    ).then((all) => {
      if (!abort.signal.aborted) setLoaded(all);
    });
    return () => abort.abort();
  }, [key, path]);
  const first = loaded?.find((l) => l.table)?.table ?? null;
  const [choice, setChoice] = useAxes(first);
  const plot = useMemo(() => {
    if (!loaded || !first) return null;
    const parts = loaded.flatMap((l) => {
      if (!l.table) return [];
      const { x, series } = tableSeries(l.table, { ...choice, ys: choice.ys.slice(0, 1) });
      const s = series[0];
      if (!s) return [];
      return [{ label: l.label, x, y: s.values, err: s.errors }];
    });
    const joined = uPlot.join(
      parts.map((p) => (p.err ? [p.x, p.y, p.err] : [p.x, p.y]) as uPlot.AlignedData),
    );
    const series: PlotSeries[] = [];
    let column = 1;
    for (const p of parts) {
      series.push({
        label: p.label,
        values: joined[column] as (number | null)[],
        errors: p.err ? (joined[column + 1] as (number | null)[]) : undefined,
      });
      column += p.err ? 2 : 1;
    }
    return { x: joined[0] as number[], series };
  }, [loaded, first, choice]);
  if (!loaded) return <p className="muted">Loading…</p>;
  return (
    <div className="overlay" data-testid="compare-overlay">
      {loaded
        .filter((l) => l.error)
        .map((l) => (
          <p key={l.id} className="muted small">
            {l.label}: {l.error}
          </p>
        ))}
      {first && plot ? (
        <>
          <AxesPicker columns={first.columns} choice={choice} onChange={setChoice} />
          <Plot
            x={plot.x}
            xLabel={choice.x >= 0 ? (first.columns[choice.x] ?? "x") : "row"}
            series={plot.series}
            logX={choice.logX}
            logY={choice.logY}
            points
            spanGaps
            testId="compare-plot"
          />
        </>
      ) : (
        <p className="muted">None of these jobs has this file.</p>
      )}
    </div>
  );
}

async function loadMetric(id: string, name: string, signal: AbortSignal) {
  const job = await api.GET("/api/jobs/{id}/", { params: { path: { id } }, signal });
  const xs: number[] = [];
  const ys: number[] = [];
  let after = 0;
  for (;;) {
    const page = await api.GET("/api/jobs/{id}/metrics/", {
      params: { path: { id }, query: { after, limit: 10000 } },
      signal,
    });
    const results = page.data?.results ?? [];
    for (const p of results) {
      const v = p.values[name];
      if (v == null) continue;
      xs.push(p.values.step ?? p.n);
      ys.push(v);
    }
    if (!page.data || results.length < 10000) break;
    after = page.data.next_after;
  }
  return { label: job.data?.title || id.slice(0, 8), x: xs, y: ys };
}

function MetricOverlay({ ids, name }: { ids: string[]; name: string }) {
  const [plot, setPlot] = useState<{ x: number[]; series: PlotSeries[] } | null>(null);
  const key = ids.join(",");
  useEffect(() => {
    const abort = new AbortController();
    setPlot(null);
    Promise.all(key.split(",").map((id) => loadMetric(id, name, abort.signal)))
      .then((parts) => {
        if (abort.signal.aborted) return;
        const joined = uPlot.join(parts.map((p) => [p.x, p.y] as uPlot.AlignedData));
        setPlot({
          x: joined[0] as number[],
          series: parts.map((p, i) => ({
            label: p.label,
            values: joined[i + 1] as (number | null)[],
          })),
        });
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [key, name]);
  const [logY, setLogY] = useState(false);
  if (!plot) return <p className="muted">Loading…</p>;
  return (
    <div className="overlay" data-testid="compare-overlay">
      <label>
        <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> log y
      </label>
      <Plot
        x={plot.x}
        xLabel="step"
        series={plot.series}
        logY={logY}
        spanGaps
        testId="compare-plot"
      />
    </div>
  );
}
