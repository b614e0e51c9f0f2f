import { useMemo, useState } from "react";
import { Plot } from "../../../components/Plot";
import type { MetricStore } from "./metricStore";
import { useMetrics } from "./useMetrics";

/** A live chart per metric the job reports (its DRS_METRICS file). */
export function MetricCharts({ jobId }: { jobId: string }) {
  const { store, version, ended } = useMetrics(jobId);
  const names = useMemo(() => (version >= 0 ? store.metrics() : []), [store, version]);
  if (!store.count) {
    return ended ? null : (
      <p className="muted small" data-testid="metrics-empty">
        No metrics yet. A program reports them by appending JSON lines to the file named by
        <code> $DRS_METRICS</code>.
      </p>
    );
  }
  return (
    <section className="metric-charts" aria-label="Metrics" data-testid="metric-charts">
      <p className="muted small" data-testid="metric-count">
        {store.count} points
      </p>
      {names.map((name) => (
        <MetricChart key={name} name={name} store={store} version={version} />
      ))}
    </section>
  );
}

function MetricChart({
  name,
  store,
  version,
}: {
  name: string;
  store: MetricStore;
  version: number;
}) {
  const [logY, setLogY] = useState(false);
  // A new series list each version: the chart takes the data again (Plot copies the
  // columns, which grow in place here: copying them here too cost a frame at 10^5 points).
  const { x, series, axis } = useMemo(() => {
    const a = store.axis();
    return {
      axis: a,
      x: a.values,
      series: [{ label: name, values: store.columns.get(name) ?? [] }],
    };
  }, [store, name, version]);
  return (
    <figure className="card metric-chart" data-testid={`metric-chart-${name}`}>
      <figcaption>
        <strong>{name}</strong>
        <label className="log-option">
          <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> Log
          scale
        </label>
        <span className="muted small">Drag to zoom, double-click to reset.</span>
      </figcaption>
      <Plot x={x} xLabel={axis.label} time={axis.time} series={series} logY={logY} height={200} />
    </figure>
  );
}
