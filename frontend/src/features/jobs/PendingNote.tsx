import type { JobSummary } from "../../api/client";
import { formatTime } from "../../lib/format";

/** Why a pending job waits in the scheduler's queue, and when it may start. */
export function PendingNote({ job }: { job: JobSummary }) {
  if (job.status !== "pending") return null;
  return (
    <span className="muted small pending-note">
      {job.pending_reason ? `waiting: ${job.pending_reason}` : "in the scheduler's queue"}
      {job.expected_start_at ? ` · expected start ${formatTime(job.expected_start_at)}` : ""}
      {job.scheduler_job_id ? ` · job ${job.scheduler_job_id}` : ""}
    </span>
  );
}
