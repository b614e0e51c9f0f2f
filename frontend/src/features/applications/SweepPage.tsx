import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { $api, type JobStatus, type JobSummary } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { ErrorView } from "../../components/ErrorView";
import { ALL_STATUSES, statusLabel, TERMINAL } from "../../components/StatusBadge";
import { jobInvalidation } from "../jobs/queries";
import { applicationQueries, SWEEP_GRID_SIZE } from "./queries";
import { show } from "./schemaForm";

/** A sweep: its jobs as a grid of tiles whose statuses follow /ws/jobs/ live (the grid's
 * query shares the jobs list's key prefix, which the live events update). */
export function SweepPage() {
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const sweep = useQuery(applicationQueries.sweep(id));
  const jobs = useQuery(applicationQueries.sweepJobs(id));
  const [error, setError] = useState<string | null>(null);
  const cancel = $api.useMutation("post", "/api/sweeps/{id}/cancel/", {
    onSuccess: () => void jobInvalidation.lists(queryClient),
    onError: (e) => setError(errorMessage(e)),
  });
  const failure: unknown = sweep.error;
  if (failure) return <ErrorView error={failure} what="Sweep" />;
  if (!sweep.data) return <p className="page muted">Loading…</p>;
  const s = sweep.data;
  // Oldest first: the order of the combinations.
  const tiles = [...(jobs.data?.results ?? [])].reverse();
  const counts = new Map<JobStatus, number>();
  for (const job of tiles) counts.set(job.status, (counts.get(job.status) ?? 0) + 1);
  const varied = Object.keys((s.vary as Record<string, unknown[]>) ?? {});
  const active = tiles.some((job) => !TERMINAL.has(job.status));
  return (
    <section className="page">
      <div className="page-head">
        <h1>{s.title || s.application_title}</h1>
        {active && (
          <button
            type="button"
            className="btn danger"
            disabled={cancel.isPending}
            onClick={() => {
              setError(null);
              cancel.mutate({ params: { path: { id } } });
            }}
          >
            Cancel sweep
          </button>
        )}
      </div>
      <p className="muted">
        Sweep of <Link to={`/applications/${s.application}/launch`}>{s.application_title}</Link> on{" "}
        {s.server_name}: {s.count} jobs over {varied.join(" × ")}.
      </p>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <ul className="sweep-counts" aria-label="Jobs by status">
        {ALL_STATUSES.filter((status) => counts.get(status)).map((status) => (
          <li key={status} className={`badge status-${status}`}>
            {statusLabel(status)}: {counts.get(status)}
          </li>
        ))}
      </ul>
      {s.count > SWEEP_GRID_SIZE && (
        <p className="muted">The grid shows the first {SWEEP_GRID_SIZE} jobs.</p>
      )}
      <ol className="sweep-grid" aria-label="Sweep jobs">
        {tiles.map((job) => (
          <li key={job.id}>
            <Tile job={job} varied={varied} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Tile({ job, varied }: { job: JobSummary; varied: string[] }) {
  const values = (job.parameters ?? {}) as Record<string, unknown>;
  const label = varied.map((n) => `${n}=${show(values[n])}`).join(" ");
  return (
    <Link
      to={`/jobs/${job.id}`}
      className={`sweep-tile status-${job.status}`}
      data-status={job.status}
      title={`${label}: ${statusLabel(job.status)}`}
    >
      <span className="mono">{label}</span>
      <span>{statusLabel(job.status)}</span>
    </Link>
  );
}
