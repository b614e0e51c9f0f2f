import type { Job } from "../../../api/client";
import { urls } from "../../../api/client";
import { formatDuration, formatRelative, formatTime } from "../../../lib/format";

/**
 * Everything about a job that is not its log, folded away below it: when and where it
 * ran, and what it ran. Sections other features add (a scheduler's pending line, inputs,
 * metrics) belong here as siblings of these, each its own component.
 */
export function JobDetails({ job, now }: { job: Job; now: number }) {
  return (
    <details className="program card job-details">
      <summary>Program and inputs</summary>
      <dl className="facts compact">
        <div>
          <dt>Server</dt>
          <dd>{job.server_name}</dd>
        </div>
        <div>
          <dt>Interpreter</dt>
          <dd>{job.interpreter_name}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <time dateTime={job.created_at} title={formatRelative(job.created_at, now)}>
              {formatTime(job.created_at)}
            </time>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(job.started_at)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatTime(job.finished_at)}</dd>
        </div>
        {job.timeout_seconds != null && (
          <div>
            <dt>Timeout</dt>
            <dd>{formatDuration(job.timeout_seconds)}</dd>
          </div>
        )}
        <div>
          <dt>Owner</dt>
          <dd>{job.owner}</dd>
        </div>
        <div>
          <dt>Log policy</dt>
          <dd>{job.log_policy}</dd>
        </div>
        {job.remote_directory && (
          <div className="wide">
            <dt>Remote directory</dt>
            <dd className="mono small">{job.remote_directory}</dd>
          </div>
        )}
      </dl>
      <pre className="code">{job.program}</pre>
      <dl className="facts compact">
        <div>
          <dt>Arguments</dt>
          <dd className="mono">{JSON.stringify(job.arguments ?? [])}</dd>
        </div>
        <div>
          <dt>Environment</dt>
          <dd className="mono">{JSON.stringify(job.environment ?? {})}</dd>
        </div>
        <div>
          <dt>Result patterns</dt>
          <dd className="mono">{JSON.stringify(job.result_patterns ?? [])}</dd>
        </div>
      </dl>
      <p className="muted small">
        Full log: <a href={urls.logText(job.id)}>view as text</a> ·{" "}
        <a href={`${urls.logText(job.id)}&download=true`} download>
          download
        </a>
      </p>
    </details>
  );
}
