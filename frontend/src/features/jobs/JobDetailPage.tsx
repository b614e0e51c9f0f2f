import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { $api, urls } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { ErrorView } from "../../components/ErrorView";
import { Name } from "../../components/Name";
import { StatusBadge, TERMINAL } from "../../components/StatusBadge";
import { elapsedSeconds, formatDuration, formatRelative, formatTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { JobInputs } from "./JobInputs";
import { LogViewer } from "./log/LogViewer";
import { PendingNote } from "./PendingNote";
import { JobMetrics } from "./metrics/JobMetrics";
import { jobInvalidation, jobQueries } from "./queries";
import { ResultsTable } from "./ResultsTable";
import { useJobWatch } from "./useJobWatch";

export function JobDetailPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<string | null>(null);
  const job = useQuery(jobQueries.detail(id));
  const finished = job.data ? TERMINAL.has(job.data.status) : false;
  const now = useNow(1000, Boolean(job.data && !finished));
  const watch = useJobWatch(job.data);

  const cancel = $api.useMutation("post", "/api/jobs/{id}/cancel/", {
    onSuccess: (data) => {
      if (data) queryClient.setQueryData(jobQueries.detail(id).queryKey, data);
      void jobInvalidation.lists(queryClient);
    },
    onError: (e) => setActionError(errorMessage(e)),
  });
  const rerun = $api.useMutation("post", "/api/jobs/{id}/rerun/", {
    onSuccess: (data) => {
      void jobInvalidation.lists(queryClient);
      if (data?.id) navigate(`/jobs/${data.id}`);
    },
    onError: (e) => setActionError(errorMessage(e)),
  });

  if (job.isLoading) return <p className="page muted">Loading…</p>;
  if (job.error || !job.data) {
    return <ErrorView error={job.error} what="Job" onRetry={() => void job.refetch()} />;
  }
  const j = job.data;

  return (
    <section className="page job-detail">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/jobs">Jobs</Link> <span aria-hidden="true">/</span>
      </nav>
      <div className="page-head">
        <h1>
          {j.title ? <Name text={j.title} /> : "Untitled job"} <StatusBadge status={j.status} />
        </h1>
        <PendingNote job={j} />
        <div className="actions">
          {!finished && (
            <button
              type="button"
              className="btn danger"
              disabled={cancel.isPending || j.cancel_requested}
              onClick={() => {
                setActionError(null);
                cancel.mutate({ params: { path: { id } } });
              }}
            >
              {j.cancel_requested ? "Cancelling…" : "Cancel"}
            </button>
          )}
          {finished && (
            <>
              <button
                type="button"
                className="btn"
                disabled={rerun.isPending}
                onClick={() => {
                  setActionError(null);
                  rerun.mutate({ params: { path: { id } } });
                }}
              >
                Rerun
              </button>
              <Link
                className="btn"
                to={
                  j.application
                    ? `/applications/${j.application}/launch?from=${j.id}`
                    : `/jobs/new?from=${j.id}`
                }
              >
                Edit and rerun
              </Link>
            </>
          )}
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
        </div>
      </div>
      {actionError && (
        <p className="error-banner" role="alert">
          {actionError}
        </p>
      )}
      {j.error && (
        <p className="error-banner" role="status">
          <strong>Error:</strong> {j.error}
        </p>
      )}

      <dl className="facts card">
        <div>
          <dt>Status</dt>
          <dd data-testid="job-status">{j.status}</dd>
        </div>
        <div>
          <dt>Exit code</dt>
          <dd className="mono" data-testid="job-exit-code">
            {j.exit_code ?? "–"}
            {j.signal ? ` (${j.signal})` : ""}
          </dd>
        </div>
        <div>
          <dt>Server</dt>
          <dd>{j.server_name}</dd>
        </div>
        <div>
          <dt>Interpreter</dt>
          <dd>{j.interpreter_name}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <time dateTime={j.created_at} title={formatRelative(j.created_at, now)}>
              {formatTime(j.created_at)}
            </time>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(j.started_at)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatTime(j.finished_at)}</dd>
        </div>
        <div>
          <dt>{finished ? "Duration" : "Elapsed"}</dt>
          <dd data-testid="job-elapsed">{formatDuration(elapsedSeconds(j, now))}</dd>
        </div>
        {j.timeout_seconds != null && (
          <div>
            <dt>Timeout</dt>
            <dd>{formatDuration(j.timeout_seconds)}</dd>
          </div>
        )}
        <div>
          <dt>Owner</dt>
          <dd>{j.owner}</dd>
        </div>
        {j.application && (
          <div>
            <dt>Application</dt>
            <dd>
              <Link to={`/applications/${j.application}/launch`}>{j.application}</Link>
              {j.sweep && (
                <>
                  {" "}
                  (<Link to={`/sweeps/${j.sweep}`}>sweep</Link>)
                </>
              )}
            </dd>
          </div>
        )}
        {j.rerun_of && (
          <div>
            <dt>Rerun of</dt>
            <dd>
              <Link to={`/jobs/${j.rerun_of}`}>{j.rerun_of.slice(0, 8)}</Link>
            </dd>
          </div>
        )}
        {j.remote_directory && (
          <div className="wide">
            <dt>Remote directory</dt>
            <dd className="mono small">{j.remote_directory}</dd>
          </div>
        )}
      </dl>

      <JobMetrics job={j} />

      <h2>Output</h2>
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

      <JobInputs job={j} />

      <h2>Results</h2>
      {!finished ? (
        <p className="muted">Result files are collected when the job ends.</p>
      ) : (
        <ResultsTable jobId={j.id} />
      )}

      <details className="program card">
        <summary>Program and inputs</summary>
        <pre className="code">{j.program}</pre>
        <dl className="facts compact">
          <div>
            <dt>Arguments</dt>
            <dd className="mono">{JSON.stringify(j.arguments ?? [])}</dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd className="mono">{JSON.stringify(j.environment ?? {})}</dd>
          </div>
          <div>
            <dt>Result patterns</dt>
            <dd className="mono">{JSON.stringify(j.result_patterns ?? [])}</dd>
          </div>
          <div>
            <dt>Log policy</dt>
            <dd>{j.log_policy}</dd>
          </div>
        </dl>
      </details>
      <p className="muted small">
        Full log: <a href={urls.logText(j.id)}>view as text</a> ·{" "}
        <a href={`${urls.logText(j.id)}&download=true`} download>
          download
        </a>
      </p>
    </section>
  );
}
