import { Link } from "react-router";
import type { Job } from "../../../api/client";
import { Name } from "../../../components/Name";
import { StatusBadge } from "../../../components/StatusBadge";
import { elapsedSeconds, formatDuration } from "../../../lib/format";
import { PendingNote } from "../PendingNote";

/** One compact block above the log: title, status, elapsed, exit code, results. */
export function JobHeader({
  job,
  finished,
  now,
  resultCount,
  children,
}: {
  job: Job;
  finished: boolean;
  now: number;
  resultCount: number | null;
  children: React.ReactNode;
}) {
  return (
    <header className="job-head">
      <div className="job-title">
        <nav className="crumbs" aria-label="Breadcrumb">
          <Link to="/jobs">Jobs</Link> <span aria-hidden="true">/</span>
        </nav>
        <h1>{job.title ? <Name text={job.title} /> : "Untitled job"}</h1>
        <PendingNote job={job} />
      </div>
      <dl className="job-facts">
        <div>
          <dt className="visually-hidden">Status</dt>
          <dd data-testid="job-status-badge">
            <StatusBadge status={job.status} />
            <span className="visually-hidden" data-testid="job-status">
              {job.status}
            </span>
          </dd>
        </div>
        <div>
          <dt>{finished ? "Took" : "Elapsed"}</dt>
          <dd data-testid="job-elapsed">{formatDuration(elapsedSeconds(job, now))}</dd>
        </div>
        <div>
          <dt>Exit</dt>
          <dd className="mono" data-testid="job-exit-code">
            {job.exit_code ?? "–"}
            {job.signal ? ` (${job.signal})` : ""}
          </dd>
        </div>
        <div>
          <dt>On</dt>
          <dd>{job.server_name}</dd>
        </div>
        {resultCount != null && (
          <div>
            <dt className="visually-hidden">Results</dt>
            <dd>
              <a href="#results" data-testid="results-link">
                {resultCount} {resultCount === 1 ? "result" : "results"}
              </a>
            </dd>
          </div>
        )}
      </dl>
      {children}
    </header>
  );
}
