import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useMe } from "../auth/auth";
import { credentialQueries } from "../credentials/queries";
import { serverQueries } from "../servers/queries";
import { useApplicationCount } from "./useApplicationCount";

interface Step {
  key: string;
  done: boolean;
  label: string;
  to: string;
  action: string;
  /** Who does it when it is not the signed-in user. */
  staffOnly?: boolean;
}

/**
 * The path from an empty installation to a first job, each step ticked as the API shows
 * it done and linked to the page where it is done. Shown while the user has no job.
 */
export function FirstRunChecklist() {
  const { me } = useMe();
  const servers = useQuery(serverQueries.servers());
  const interpreters = useQuery(serverQueries.interpreters());
  const credentials = useQuery(credentialQueries.list());
  const applications = useApplicationCount();
  if (!servers.data || !interpreters.data || !credentials.data) return null;

  const all = (servers.data.results ?? []).filter((s) => s.enabled !== false);
  const pinned = all.filter((s) => s.kind === "local" || Boolean(s.host_key));
  const ready = pinned.filter((s) => (s.interpreters ?? []).length > 0);
  const mine = credentials.data.results ?? [];
  const usable = mine.some((c) => ready.some((s) => s.id === c.server));
  const steps: Step[] = [
    {
      key: "server",
      done: all.length > 0,
      label: "Add a server",
      to: "/servers",
      action: "Add server",
      staffOnly: true,
    },
    {
      key: "pin",
      done: pinned.length > 0,
      label: "Pin its host key (Scan host key, compare the fingerprint, approve)",
      to: "/servers",
      action: "Scan host key",
      staffOnly: true,
    },
    {
      key: "interpreters",
      done: ready.length > 0,
      label:
        "Give it interpreters (presets: python3 -u, bash, Rscript), then tick them in the server's Edit",
      to: "/servers#interpreters",
      action: "Interpreters",
      staffOnly: true,
    },
    {
      key: "credential",
      done: usable,
      label: "Add your credential for it (a key, or generate one)",
      to: "/credentials",
      action: "Credentials",
    },
    { key: "job", done: false, label: "Submit your first job", to: "/jobs/new", action: "New job" },
  ]; // fmt: skip
  const next = steps.find((s) => !s.done);

  return (
    <section className="card checklist" aria-labelledby="checklist-title">
      <h2 id="checklist-title">Your first job in five steps</h2>
      <ol>
        {steps.map((step) => (
          <li key={step.key} className={step.done ? "done" : undefined} data-step={step.key}>
            <span className="tick" role="img" aria-label={step.done ? "done" : "to do"}>
              {step.done ? "✓" : "○"}
            </span>
            <span className="step-label">{step.label}</span>
            {!step.done &&
              (step.staffOnly && !me?.is_staff ? (
                <span className="muted small">(staff do this)</span>
              ) : (
                <Link className={`btn small${step === next ? " primary" : ""}`} to={step.to}>
                  {step.action}
                </Link>
              ))}
          </li>
        ))}
      </ol>
      {applications > 0 && (
        <p className="muted">
          Or <Link to="/applications">launch an application</Link>: a form with its parameters.
        </p>
      )}
    </section>
  );
}
