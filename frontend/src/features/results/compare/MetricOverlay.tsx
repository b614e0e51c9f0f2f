import { useEffect, useState } from "react";
import uPlot from "uplot";
import { api } from "../../../api/client";
import { Plot, type PlotSeries } from "../../../components/Plot";

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

/** One metric of several jobs over their steps, on one chart. */
export function MetricOverlay({ ids, name }: { ids: string[]; name: string }) {
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
