import { useEffect, useState } from "react";
import { Link } from "react-router";
import type { Result } from "../../api/client";
import { JsonTree } from "./JsonTree";
import { type LoadedTable, loadTable } from "./loadTable";
import { TablePlot } from "./TablePlot";
import { VirtualTable } from "./VirtualTable";

const VIEWS = [
  ["plot", "Plot"],
  ["table", "Table"],
] as const;

/** A result file as data: a numeric table as a plot (and a table), JSON as a tree. */
export function ResultViewer({
  jobId,
  result,
  kind,
}: {
  jobId: string;
  result: Result;
  kind: "table" | "json";
}) {
  if (kind === "json") return <JsonTree url={result.download_url} />;
  return <TableViewer jobId={jobId} result={result} />;
}

function TableViewer({ jobId, result }: { jobId: string; result: Result }) {
  const [loaded, setLoaded] = useState<LoadedTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<(typeof VIEWS)[number][0]>("plot");
  useEffect(() => {
    const abort = new AbortController();
    setLoaded(null);
    loadTable(jobId, result, abort.signal)
      .then(setLoaded)
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : "failed");
      });
    return () => abort.abort();
  }, [jobId, result]);
  if (error) return <p className="error-banner">Cannot read this table: {error}</p>;
  if (!loaded) return <p className="muted">Loading…</p>;
  const { table } = loaded;
  if (!table.rows || !table.data.some((col) => col.some((v) => !Number.isNaN(v)))) {
    return <p className="muted">No numeric columns in this file.</p>;
  }
  return (
    <div className="result-viewer" data-testid="result-viewer">
      <div className="tabs" role="tablist">
        {VIEWS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={view === key}
            onClick={() => setView(key)}
          >
            {label}
          </button>
        ))}
        <Link
          className="btn small"
          to={`/compare?jobs=${jobId}&file=${encodeURIComponent(result.path)}`}
        >
          Compare with other jobs
        </Link>
        <span className="muted small">
          {loaded.sampled
            ? `${table.rows.toLocaleString()} of ${loaded.totalRows.toLocaleString()} rows (evenly sampled)`
            : `${table.rows.toLocaleString()} rows`}
        </span>
      </div>
      {view === "plot" ? <TablePlot table={table} /> : <VirtualTable table={table} />}
    </div>
  );
}
