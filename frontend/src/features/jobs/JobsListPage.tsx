import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { errorMessage } from "../../api/errors";
import { FirstRunChecklist } from "../firstrun/FirstRunChecklist";
import { JobFiltersForm } from "./list/JobFiltersForm";
import { JobsPager, JobsTable } from "./list/JobsTable";
import { useJobFilters } from "./list/useJobFilters";
import { jobQueries } from "./queries";

function cursorOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url, window.location.origin).searchParams.get("cursor");
  } catch {
    return null;
  }
}

export function JobsListPage() {
  const state = useJobFilters();
  const { filters, filtered } = state;
  const jobs = useQuery({ ...jobQueries.list(filters), placeholderData: (prev) => prev });
  const rows = jobs.data?.results ?? [];
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

      <JobFiltersForm state={state} />

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
        <JobsTable rows={rows} />
      )}

      <JobsPager newer={newer} older={older} toPage={state.toPage} />
    </section>
  );
}
