import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { $api, type JobStatus } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { ALL_STATUSES, StatusBadge, statusLabel } from "../../components/StatusBadge";
import { formatDuration, formatTime } from "../../lib/format";

const PAGE_SIZE = 25;

export function JobsListPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const server = params.get("server") ?? "";
  const search = params.get("search") ?? "";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [searchText, setSearchText] = useState(search);

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next, { replace: true });
  };

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (searchText === search) return;
    const t = setTimeout(() => update({ search: searchText.trim() }), 300);
    return () => clearTimeout(t);
  });

  const servers = $api.useQuery("get", "/api/servers/", { params: { query: { page_size: 200 } } });
  const jobs = $api.useQuery(
    "get",
    "/api/jobs/",
    {
      params: {
        query: {
          page,
          page_size: PAGE_SIZE,
          ...(status ? { status: [status as JobStatus] } : {}),
          ...(server ? { server: Number(server) } : {}),
          ...(search ? { search } : {}),
        },
      },
    },
    { placeholderData: (prev) => prev },
  );
  const count = jobs.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));

  return (
    <section className="page">
      <div className="page-head">
        <h1>Jobs</h1>
        <Link to="/jobs/new" className="btn primary">
          New job
        </Link>
      </div>

      <form className="filters" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
        <label className="field inline">
          <span>Search</span>
          <input
            type="search"
            placeholder="Title"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </label>
        <label className="field inline">
          <span>Status</span>
          <select value={status} onChange={(e) => update({ status: e.target.value })}>
            <option value="">Any</option>
            {ALL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Server</span>
          <select value={server} onChange={(e) => update({ server: e.target.value })}>
            <option value="">Any</option>
            {servers.data?.results.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      </form>

      {jobs.isError ? (
        <p className="error-banner" role="alert">
          {errorMessage(jobs.error)}
        </p>
      ) : jobs.isLoading ? (
        <p className="muted">Loading…</p>
      ) : count === 0 ? (
        <div className="empty card">
          <p>No jobs {status || server || search ? "match these filters" : "yet"}.</p>
          {!(status || server || search) && (
            <Link to="/jobs/new" className="btn primary">
              Submit your first job
            </Link>
          )}
        </div>
      ) : (
        <div className="table-wrap card">
          <table className="table jobs-table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Server</th>
                <th scope="col">Exit</th>
                <th scope="col">Created</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data?.results.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td data-label="Title">
                    <Link to={`/jobs/${job.id}`} className="strong">
                      {job.title || job.id.slice(0, 8)}
                    </Link>
                    {job.owner && <span className="muted small"> · {job.owner}</span>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={job.status} />
                  </td>
                  <td data-label="Server">{job.server_name}</td>
                  <td data-label="Exit" className="mono">
                    {job.exit_code ?? "–"}
                  </td>
                  <td data-label="Created">{formatTime(job.created_at)}</td>
                  <td data-label="Duration">{formatDuration(job.duration_seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {count > PAGE_SIZE && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="btn"
            disabled={page <= 1}
            onClick={() => update({ page: String(page - 1) })}
          >
            ← Newer
          </button>
          <span className="muted">
            Page {page} of {pages} · {count} jobs
          </span>
          <button
            type="button"
            className="btn"
            disabled={page >= pages}
            onClick={() => update({ page: String(page + 1) })}
          >
            Older →
          </button>
        </nav>
      )}
    </section>
  );
}
