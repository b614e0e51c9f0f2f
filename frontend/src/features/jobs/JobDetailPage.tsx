import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { $api, urls } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { StatusBadge, TERMINAL } from "../../components/StatusBadge";
import { formatBytes, formatDuration, formatTime } from "../../lib/format";
import { LogViewer } from "./LogViewer";

export function JobDetailPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<string | null>(null);
  const jobKey = { params: { path: { id } } };
  const job = $api.useQuery("get", "/api/jobs/{id}/", jobKey);
  const finished = job.data ? TERMINAL.has(job.data.status) : false;
  const results = $api.useQuery("get", "/api/jobs/{id}/results/", jobKey, { enabled: finished });

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/{id}/", jobKey] });
    void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/{id}/results/", jobKey] });
  };

  const cancel = $api.useMutation("post", "/api/jobs/{id}/cancel/", {
    onSuccess: (data) => {
      if (data) queryClient.setQueryData(["get", "/api/jobs/{id}/", jobKey], data);
      void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/"] });
    },
    onError: (e) => setActionError(errorMessage(e)),
  });
  const rerun = $api.useMutation("post", "/api/jobs/{id}/rerun/", {
    onSuccess: (data) => {
      void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/"] });
      if (data?.id) navigate(`/jobs/${data.id}`);
    },
    onError: (e) => setActionError(errorMessage(e)),
  });

  if (job.isLoading) return <p className="page muted">Loading…</p>;
  if (job.error || !job.data) {
    return (
      <section className="page">
        <h1>Job not found</h1>
        <p className="muted">{errorMessage(job.error)}</p>
        <Link to="/jobs">Back to jobs</Link>
      </section>
    );
  }
  const j = job.data;

  return (
    <section className="page job-detail">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/jobs">Jobs</Link> <span aria-hidden="true">/</span>
      </nav>
      <div className="page-head">
        <h1>
          {j.title || "Untitled job"} <StatusBadge status={j.status} />
        </h1>
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
          <dd>{formatTime(j.created_at)}</dd>
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
          <dt>Duration</dt>
          <dd>{formatDuration(j.duration_seconds)}</dd>
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

      <h2>Output</h2>
      {j.log_policy === "none" ? (
        <p className="muted">This job keeps no output (log policy “none”).</p>
      ) : (
        <>
          {j.log_policy === "total" && !finished && (
            <p className="muted small">Log policy “total”: the output appears when the job ends.</p>
          )}
          <LogViewer jobId={j.id} live={!finished} onEnd={refresh} />
        </>
      )}

      <h2>Results</h2>
      {!finished ? (
        <p className="muted">Result files are collected when the job ends.</p>
      ) : results.isLoading ? (
        <p className="muted">Loading…</p>
      ) : !results.data?.length ? (
        <p className="muted">No result files.</p>
      ) : (
        <div className="table-wrap card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {results.data.map((r) => (
                <tr key={r.id}>
                  <td data-label="File" className="mono">
                    {r.path}
                  </td>
                  <td data-label="Size">{formatBytes(r.size)}</td>
                  <td data-label="SHA-256" className="mono small" title={r.sha256}>
                    {r.sha256.slice(0, 12)}…
                  </td>
                  <td>
                    <a
                      className="btn small"
                      href={r.download_url}
                      download
                      aria-label={`Download ${r.path}`}
                    >
                      Download
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
