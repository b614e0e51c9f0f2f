import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api, type Interpreter } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { InterpreterForm } from "./InterpreterForm";
import { serverInvalidation } from "./queries";

/** How the argv reads in a shell (quoted where needed), for display only. */
export function shellJoin(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}

export function InterpreterRow({ interpreter }: { interpreter: Interpreter }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = $api.useMutation("delete", "/api/interpreters/{id}/", {
    onSuccess: () => void serverInvalidation.interpreters(queryClient),
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <li className="interpreter-row">
      <div className="row-line">
        <strong>{interpreter.name}</strong>{" "}
        <span className="mono muted small">
          {shellJoin([interpreter.path, ...(interpreter.arguments ?? [])])}
        </span>
        <span className="row-actions">
          <button
            type="button"
            className="btn ghost small"
            aria-expanded={editing}
            aria-label={`Edit interpreter ${interpreter.name}`}
            onClick={() => setEditing((v) => !v)}
          >
            {editing ? "Close" : "Edit"}
          </button>
          <button
            type="button"
            className="btn ghost small danger-text"
            aria-label={`Delete interpreter ${interpreter.name}`}
            disabled={remove.isPending}
            onClick={() => {
              setError(null);
              remove.mutate({ params: { path: { id: interpreter.id } } });
            }}
          >
            Delete
          </button>
        </span>
      </div>
      {error && (
        <p className="error-banner" role="alert">
          Cannot delete {interpreter.name}: {error}
        </p>
      )}
      {editing && <InterpreterForm interpreter={interpreter} onDone={() => setEditing(false)} />}
    </li>
  );
}
