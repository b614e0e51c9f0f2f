import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ErrorView } from "../../components/ErrorView";
import { TERMINAL } from "../../components/StatusBadge";
import { useNow } from "../../lib/useNow";
import { JobActions } from "./detail/JobActions";
import { JobDetails } from "./detail/JobDetails";
import { JobHeader } from "./detail/JobHeader";
import { JobOutcome } from "./detail/JobOutcome";
import { JobInputs } from "./JobInputs";
import { LogViewer } from "./log/LogViewer";
import { JobMetrics } from "./metrics/JobMetrics";
import { jobInvalidation, jobQueries } from "./queries";
import { ResultsTable } from "./ResultsTable";
import { useJobWatch } from "./useJobWatch";

/** A job: a compact header, then its log filling the screen, results, then details. */
export function JobDetailPage() {
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<string | null>(null);
  const job = useQuery(jobQueries.detail(id));
  const finished = job.data ? TERMINAL.has(job.data.status) : false;
  const results = useQuery({ ...jobQueries.results(id), enabled: finished });
  const now = useNow(1000, Boolean(job.data && !finished));
  const watch = useJobWatch(job.data);

  if (job.isLoading) return <p className="page muted">Loading…</p>;
  if (job.error || !job.data) {
    return <ErrorView error={job.error} what="Job" onRetry={() => void job.refetch()} />;
  }
  const j = job.data;

  return (
    <section className="page job-detail">
      <JobHeader
        job={j}
        finished={finished}
        now={now}
        resultCount={finished && results.data ? results.data.length : null}
      >
        <div className="job-head-actions">
          <JobActions job={j} finished={finished} onError={setActionError} />
          {!finished && watch.supported && (
            <label className="log-option">
              <input
                type="checkbox"
                checked={watch.notify}
                onChange={(e) => void watch.setNotify(e.target.checked)}
              />
              Notify me when it ends
            </label>
          )}
          {j.rerun_of && (
            <span className="muted small">
              Rerun of <Link to={`/jobs/${j.rerun_of}`}>{j.rerun_of.slice(0, 8)}</Link>
            </span>
          )}
        </div>
      </JobHeader>
      {actionError && (
        <p className="error-banner" role="alert">
          {actionError}
        </p>
      )}
      <JobOutcome job={j} />

      <h2 className="visually-hidden">Output</h2>
      {j.log_policy === "none" ? (
        <p className="muted">This job keeps no output (log policy “none”).</p>
      ) : (
        <>
          {j.log_policy === "total" && !finished && (
            <p className="muted small">Log policy “total”: the output appears when the job ends.</p>
          )}
          <LogViewer
            jobId={j.id}
            live={!finished}
            onEnd={() => void jobInvalidation.job(queryClient, j.id)}
          />
        </>
      )}

      <JobMetrics job={j} />

      <JobInputs job={j} />

      <h2 id="results">Results</h2>
      {!finished ? (
        <p className="muted">Result files are collected when the job ends.</p>
      ) : (
        <ResultsTable jobId={j.id} />
      )}

      <JobDetails job={j} now={now} />
    </section>
  );
}
