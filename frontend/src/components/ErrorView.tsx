import { Link } from "react-router";
import { type ErrorKind, errorKind, errorMessage } from "../api/errors";

const TEXT: Record<ErrorKind, { title: (what: string) => string; body: string }> = {
  "not-found": {
    title: (what) => `${what} not found`,
    body: "It does not exist, or it is not yours to see.",
  },
  forbidden: {
    title: () => "Not allowed",
    body: "Your account may not see or change this. Ask a staff user if you need it.",
  },
  offline: {
    title: () => "Offline",
    body: "The DRS server did not answer. Check your connection; this page retries when you reload.",
  },
  server: {
    title: () => "Server error",
    body: "The DRS server failed to answer this request. Try again in a moment; if it persists, tell an operator.",
  },
  unexpected: {
    title: () => "Something went wrong",
    body: "This page hit an unexpected error.",
  },
};

/** A page-sized explanation of an error: not found, not allowed, offline or server error. */
export function ErrorView({
  error,
  what = "Page",
  onRetry,
}: {
  error: unknown;
  what?: string;
  onRetry?: () => void;
}) {
  const kind = errorKind(error);
  const text = TEXT[kind];
  const detail = errorMessage(error);
  return (
    <section className="page error-view" data-error-kind={kind}>
      <h1>{text.title(what)}</h1>
      <p>{text.body}</p>
      {detail && kind !== "not-found" && <p className="muted small mono">{detail}</p>}
      <p className="form-actions">
        {onRetry && (
          <button type="button" className="btn primary" onClick={onRetry}>
            Try again
          </button>
        )}
        <Link to="/jobs" className="btn">
          Back to jobs
        </Link>
      </p>
    </section>
  );
}
