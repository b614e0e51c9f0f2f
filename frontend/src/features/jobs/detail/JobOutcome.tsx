import { Link } from "react-router";
import type { Job } from "../../../api/client";
import { fixLink } from "../../../lib/fixLinks";

/** What the shell's own exit codes mean: the job never ran its program. */
const SHELL_CODES: Record<number, string> = {
  126:
    "Exit code 126: the interpreter was found but could not run the program (not " +
    "executable, or permission denied). DRS runs “<interpreter path> <arguments> " +
    "<program file>”: the interpreter must be a program that reads a file, e.g. " +
    "“/usr/bin/env python3 -u” or “/usr/bin/env bash”, not “/usr/bin/env” alone.",
  127:
    "Exit code 127: command not found. The interpreter's path, or the program it names " +
    "(e.g. python3, Rscript), does not exist on the server, or is not on the login PATH.",
};

/**
 * How the job ended, when that needs words: its error (a cancel is not an error), or an
 * explanation of the shell's exit codes; each with a link to the page that fixes it.
 */
export function JobOutcome({ job }: { job: Job }) {
  const shell = job.exit_code != null ? SHELL_CODES[job.exit_code] : undefined;
  if (job.status === "cancelled") {
    return (
      <p className="note-banner" role="status" data-testid="job-outcome">
        {job.error || "Cancelled."}
      </p>
    );
  }
  if (!job.error && !shell) return null;
  const link =
    fixLink(job.error) ?? (shell ? { to: "/servers", label: "Check the interpreters" } : null);
  return (
    <div className="error-banner" role="status" data-testid="job-outcome">
      {job.error && (
        <p>
          <strong>Error:</strong> {job.error}
        </p>
      )}
      {shell && <p>{shell}</p>}
      {link && (
        <p>
          <Link to={link.to}>{link.label}</Link>
        </p>
      )}
    </div>
  );
}
