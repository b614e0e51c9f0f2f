import { Link } from "react-router";
import type { JobSummary } from "../../../api/client";
import { DataTable } from "../../../components/DataTable";
import { Name } from "../../../components/Name";
import { StatusBadge, TERMINAL } from "../../../components/StatusBadge";
import { elapsedSeconds, formatDuration, formatRelative, formatTime } from "../../../lib/format";
import { useNow } from "../../../lib/useNow";
import { ProgressBar } from "../metrics/ProgressBar";
import { PendingNote } from "../PendingNote";

/** One page of jobs; times and durations of running jobs tick every second. */
export function JobsTable({ rows }: { rows: JobSummary[] }) {
  const now = useNow(1000);
  return (
    <DataTable
      columns={["Title", "Status", "Server", "Exit", "Created", "Duration"]}
      className="jobs-table"
    >
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
    </DataTable>
  );
}

/** Newer and older pages (cursor pagination: no page numbers). */
export function JobsPager({
  newer,
  older,
  toPage,
}: {
  newer: string | null;
  older: string | null;
  toPage: (cursor: string | null) => void;
}) {
  if (!older && !newer) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn" disabled={!newer} onClick={() => toPage(newer)}>
        ← Newer
      </button>
      <button
        type="button"
        className="btn"
        disabled={!older}
        onClick={() => older && toPage(older)}
      >
        Older →
      </button>
    </nav>
  );
}
