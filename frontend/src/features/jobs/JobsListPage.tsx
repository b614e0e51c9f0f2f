import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { JobStatus } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { Name } from "../../components/Name";
import { ALL_STATUSES, StatusBadge, statusLabel, TERMINAL } from "../../components/StatusBadge";
import { elapsedSeconds, formatDuration, formatRelative, formatTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { FirstRunChecklist } from "../firstrun/FirstRunChecklist";
import { serverQueries } from "../servers/queries";
import { ProgressBar } from "./metrics/ProgressBar";
import { PendingNote } from "./PendingNote";
import { type JobFilters, jobQueries } from "./queries";

/** Filters live in the address (?status=running&status=failed&server=2&from=…&until=…). */
function readFilters(params: URLSearchParams): JobFilters & { from: string; until: string } {
  const from = params.get("from") ?? "";
  const until = params.get("until") ?? "";
  const day = (d: string, plus = 0) => {
    const t = new Date(`${d}T00:00:00`);
    if (Number.isNaN(t.getTime())) return null;
    t.setDate(t.getDate() + plus);
    return t.toISOString();
  };
  return {
    status: params
      .getAll("status")
      .filter((s): s is JobStatus => ALL_STATUSES.includes(s as JobStatus)),
    server: params.get("server") ? Number(params.get("server")) : null,
    createdAfter: from ? day(from) : null,
    createdBefore: until ? day(until, 1) : null,
    search: params.get("search") ?? "",
    cursor: params.get("cursor"),
    from,
    until,
  };
}

function cursorOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url, window.location.origin).searchParams.get("cursor");
  } catch {
    return null;
  }
}

export function JobsListPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [searchText, setSearchText] = useState(filters.search);
  const now = useNow(1000);

  const update = (change: (next: URLSearchParams) => void, keepCursor = false) => {
    const next = new URLSearchParams(params);
    change(next);
    if (!keepCursor) next.delete("cursor");
    setParams(next, { replace: true });
  };
  const setValue = (key: string, value: string) =>
    update((next) => (value ? next.set(key, value) : next.delete(key)));
  // The router applies a new address in a transition, so for a moment after a click the
  // address still holds the old statuses: the checkboxes show (and the next click builds
  // on) this draft until the address catches up.
  const [statusDraft, setStatusDraft] = useState<JobStatus[] | null>(null);
  const shownStatuses = statusDraft ?? filters.status;
  const address = params.toString();
  useEffect(() => setStatusDraft(null), [address]);
  const toggleStatus = (status: JobStatus, on: boolean) => {
    const current = shownStatuses.filter((s) => s !== status);
    const statuses = on ? [...current, status] : current;
    setStatusDraft(statuses);
    update((next) => {
      next.delete("status");
      for (const s of statuses) next.append("status", s);
    });
  };

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (searchText.trim() === filters.search) return;
    const t = setTimeout(() => setValue("search", searchText.trim()), 300);
    return () => clearTimeout(t);
  });

  const servers = useQuery(serverQueries.servers());
  const jobs = useQuery({ ...jobQueries.list(filters), placeholderData: (prev) => prev });
  const rows = jobs.data?.results ?? [];
  const filtered =
    filters.status.length > 0 ||
    filters.server != null ||
    filters.search ||
    filters.from ||
    filters.until;
  // On a phone the filters fold behind a button (CSS): the jobs come first.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const older = cursorOf(jobs.data?.next);
  const newer = cursorOf(jobs.data?.previous);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Jobs</h1>
        <Link to="/jobs/new" className="btn primary">
          New job
        </Link>
      </div>

      <button
        type="button"
        className="btn small filters-toggle"
        aria-expanded={filtersOpen}
        onClick={() => setFiltersOpen((v) => !v)}
      >
        {filtersOpen ? "Hide filters" : filtered ? "Filters (on)" : "Filters"}
      </button>
      <form
        className={`filters${filtersOpen ? " open" : ""}`}
        aria-label="Filter jobs"
        onSubmit={(e) => e.preventDefault()}
      >
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
          <span>Server</span>
          <select value={filters.server ?? ""} onChange={(e) => setValue("server", e.target.value)}>
            <option value="">Any</option>
            {servers.data?.results.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Created from</span>
          <input
            type="date"
            value={filters.from}
            onChange={(e) => setValue("from", e.target.value)}
          />
        </label>
        <label className="field inline">
          <span>until</span>
          <input
            type="date"
            value={filters.until}
            onChange={(e) => setValue("until", e.target.value)}
          />
        </label>
        <fieldset className="status-filter">
          <legend>Status</legend>
          {ALL_STATUSES.map((s) => (
            <label key={s} className={`chip${shownStatuses.includes(s) ? " on" : ""}`}>
              <input
                type="checkbox"
                checked={shownStatuses.includes(s)}
                onChange={(e) => toggleStatus(s, e.target.checked)}
              />
              {statusLabel(s)}
            </label>
          ))}
        </fieldset>
        {filtered && (
          <button
            type="button"
            className="btn ghost small"
            onClick={() => {
              setSearchText("");
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            Clear filters
          </button>
        )}
      </form>

      {jobs.isError ? (
        <p className="error-banner" role="alert">
          {errorMessage(jobs.error)}
        </p>
      ) : jobs.isLoading ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 && !filtered && !newer ? (
        <FirstRunChecklist />
      ) : rows.length === 0 ? (
        <div className="empty card">
          <p>No jobs {filtered ? "match these filters" : "yet"}.</p>
          {!filtered && (
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
              {rows.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td data-label="Title">
                    <Link to={`/jobs/${job.id}`} className="strong">
                      {job.title ? <Name text={job.title} /> : job.id.slice(0, 8)}
                    </Link>
                    {job.owner && <span className="muted small"> · {job.owner}</span>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={job.status} /> <PendingNote job={job} />
                    <ProgressBar progress={job.progress} />
                  </td>
                  <td data-label="Server">{job.server_name}</td>
                  <td data-label="Exit" className="mono">
                    {job.exit_code ?? "–"}
                  </td>
                  <td data-label="Created">
                    <time dateTime={job.created_at} title={formatTime(job.created_at)}>
                      {formatRelative(job.created_at, now)}
                    </time>
                  </td>
                  <td data-label="Duration" className={TERMINAL.has(job.status) ? "" : "live-time"}>
                    {formatDuration(elapsedSeconds(job, now))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {(older || newer) && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="btn"
            disabled={!newer}
            onClick={() =>
              update((next) => (newer ? next.set("cursor", newer) : next.delete("cursor")), true)
            }
          >
            ← Newer
          </button>
          <button
            type="button"
            className="btn"
            disabled={!older}
            onClick={() => update((next) => older && next.set("cursor", older), true)}
          >
            Older →
          </button>
        </nav>
      )}
    </section>
  );
}
