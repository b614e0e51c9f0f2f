import type { Job } from "../../../api/client";
import { urls } from "../../../api/client";
import { Fact } from "../../../components/Fact";
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
        <Fact term="Server">{job.server_name}</Fact>
        <Fact term="Interpreter">{job.interpreter_name}</Fact>
        <Fact term="Created">
          <time dateTime={job.created_at} title={formatRelative(job.created_at, now)}>
            {formatTime(job.created_at)}
          </time>
        </Fact>
        <Fact term="Started">{formatTime(job.started_at)}</Fact>
        <Fact term="Finished">{formatTime(job.finished_at)}</Fact>
        {job.timeout_seconds != null && (
          <Fact term="Timeout">{formatDuration(job.timeout_seconds)}</Fact>
        )}
        <Fact term="Owner">{job.owner}</Fact>
        <Fact term="Log policy">{job.log_policy}</Fact>
        {job.remote_directory && (
          <Fact term="Remote directory" wide className="mono small">
            {job.remote_directory}
          </Fact>
        )}
      </dl>
      <pre className="code">{job.program}</pre>
      <dl className="facts compact">
        <Fact term="Arguments" className="mono">
          {JSON.stringify(job.arguments ?? [])}
        </Fact>
        <Fact term="Environment" className="mono">
          {JSON.stringify(job.environment ?? {})}
        </Fact>
        <Fact term="Result patterns" className="mono">
          {JSON.stringify(job.result_patterns ?? [])}
        </Fact>
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
