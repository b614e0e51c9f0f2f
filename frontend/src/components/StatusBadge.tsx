import type { JobStatus } from "../api/client";

const LABELS: Record<JobStatus, string> = {
  queued: "queued",
  starting: "starting",
  pending: "pending",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  timed_out: "timed out",
  lost: "lost",
};

export const TERMINAL: ReadonlySet<JobStatus> = new Set([
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "lost",
]);

export const ALL_STATUSES = Object.keys(LABELS) as JobStatus[];

export function statusLabel(status: JobStatus): string {
  return LABELS[status] ?? status;
}

export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge status-${status}`} data-status={status}>
      {!TERMINAL.has(status) && <span className="pulse" aria-hidden="true" />}
      {statusLabel(status)}
    </span>
  );
}
