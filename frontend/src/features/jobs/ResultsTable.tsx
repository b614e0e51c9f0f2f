import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Result } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { DownloadLink } from "../../components/DownloadLink";
import { Name } from "../../components/Name";
import { formatBytes } from "../../lib/format";
import { previewKind } from "./previewKind";
import { jobQueries } from "./queries";
import { ResultPreview } from "./ResultPreview";

/** A finished job's result files: size, SHA-256, download, and a preview for small ones. */
export function ResultsTable({ jobId }: { jobId: string }) {
  const results = useQuery(jobQueries.results(jobId));
  const [open, setOpen] = useState<number | null>(null);
  if (results.isLoading) return <p className="muted">Loading…</p>;
  const rows: Result[] = results.data ?? [];
  if (!rows.length) return <p className="muted">No result files.</p>;
  return (
    <DataTable columns={["File", "Size", "SHA-256"]} actions>
      {rows.map((r) => {
        const kind = previewKind(r);
        return [
          <tr key={r.id}>
            <td data-label="File" className="mono">
              <Name text={r.path} />
            </td>
            <td data-label="Size">{formatBytes(r.size)}</td>
            <td data-label="SHA-256" className="mono small" title={r.sha256}>
              {r.sha256.slice(0, 12)}…
            </td>
            <td className="row-actions">
              {kind && (
                <button
                  type="button"
                  className="btn small"
                  aria-expanded={open === r.id}
                  aria-label={`Preview ${r.path}`}
                  onClick={() => setOpen(open === r.id ? null : r.id)}
                >
                  Preview
                </button>
              )}
              <DownloadLink href={r.download_url} name={r.path} />
            </td>
          </tr>,
          open === r.id && kind ? (
            <tr key={`${r.id}-preview`} className="preview-row">
              <td colSpan={4}>
                <ResultPreview jobId={jobId} result={r} kind={kind} />
              </td>
            </tr>
          ) : null,
        ];
      })}
    </DataTable>
  );
}
