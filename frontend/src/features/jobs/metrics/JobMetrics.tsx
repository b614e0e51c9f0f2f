import type { Job } from "../../../api/client";
import { MetricCharts } from "./MetricCharts";
import { ProgressBar } from "./ProgressBar";

/** The job page's metrics: its progress bar and a live chart per metric. */
export function JobMetrics({ job }: { job: Job }) {
  return (
    <section className="job-metrics" aria-labelledby="job-metrics-title">
      <h2 id="job-metrics-title">
        Metrics <ProgressBar progress={job.progress} />
      </h2>
      <MetricCharts jobId={job.id} />
    </section>
  );
}
