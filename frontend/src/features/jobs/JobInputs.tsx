import { Link } from "react-router";
import type { Job } from "../../api/client";
import { formatBytes } from "../../lib/format";

/** The files staged into the job directory before the program started. */
export function JobInputs({ job }: { job: Job }) {
  const inputs = job.inputs ?? [];
  if (!inputs.length) return null;
  return (
    <>
      <h2>Inputs</h2>
      <ul className="input-list card">
        {inputs.map((i) => (
          <li key={i.path}>
            <a className="mono small" href={i.download_url} download>
              {i.path}
            </a>
            <span className="muted small">{formatBytes(i.size)}</span>
            <span className="mono small muted" title={i.sha256}>
              {i.sha256.slice(0, 12)}…
            </span>
            {i.result_job && (
              <span className="small">
                result of <Link to={`/jobs/${i.result_job}`}>{i.result_job.slice(0, 8)}</Link>
              </span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
