import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { DataTable } from "../../components/DataTable";
import { DownloadLink } from "../../components/DownloadLink";
import { formatBytes, formatRelative } from "../../lib/format";
import { fileInvalidation, fileQueries } from "./queries";

/** The user's uploads: size, age, download and delete (refused while jobs use one). */
export function FilesPage() {
  const queryClient = useQueryClient();
  const files = useQuery(fileQueries.list());
  const remove = useMutation({
    mutationFn: async (id: string) => {
      await api.DELETE("/api/files/{id}/", { params: { path: { id } } });
    },
    onSettled: () => fileInvalidation.list(queryClient),
  });
  const rows = files.data?.results ?? [];
  const failure = remove.error as { body?: { detail?: string } } | null;
  return (
    <section className="page">
      <div className="page-head">
        <h1>Files</h1>
      </div>
      <p className="muted">
        Uploads you can stage into jobs as inputs. Add them on the New job form.
      </p>
      {failure && (
        <p className="error-banner" role="alert">
          {failure.body?.detail ?? "The file could not be deleted."}
        </p>
      )}
      {files.isLoading && <p className="muted">Loading…</p>}
      {files.data && !rows.length && <p className="muted">No files yet.</p>}
      {rows.length > 0 && (
        <DataTable columns={["Name", "Size", "Uploaded", "SHA-256"]} actions>
          {rows.map((f) => (
            <tr key={f.id}>
              <td data-label="Name" className="mono">
                {f.name}
              </td>
              <td data-label="Size">{formatBytes(f.size)}</td>
              <td data-label="Uploaded" title={f.created_at}>
                {formatRelative(f.created_at)}
              </td>
              <td data-label="SHA-256" className="mono small" title={f.sha256}>
                {f.sha256.slice(0, 12)}…
              </td>
              <td className="row-actions">
                <DownloadLink href={f.download_url} name={f.name} />
                <button
                  type="button"
                  className="btn small danger"
                  aria-label={`Delete ${f.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(f.id)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
