import { useEffect, useMemo, useState } from "react";
import uPlot from "uplot";
import { api } from "../../../api/client";
import { Plot, type PlotSeries } from "../../../components/Plot";
import { loadTable } from "../loadTable";
import type { NumericTable } from "../parseTable";
import { AxesPicker, tableSeries, useAxes } from "../TablePlot";

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
export function ResultOverlay({ ids, path }: { ids: string[]; path: string }) {
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
