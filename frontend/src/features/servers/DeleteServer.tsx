import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api, type Server } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { serverInvalidation } from "./queries";

/** Delete a server after a confirmation; the API's 409 (jobs still use it) is shown as is. */
export function DeleteServer({ server }: { server: Server }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = $api.useMutation("delete", "/api/servers/{id}/", {
    onSuccess: () => void serverInvalidation.servers(queryClient),
    onError: (e) => {
      setConfirming(false);
      setError(errorMessage(e));
    },
  });
  if (!confirming) {
    return (
      <>
        <button
          type="button"
          className="btn ghost danger-text"
          onClick={() => {
            setError(null);
            setConfirming(true);
          }}
        >
          Delete
        </button>
        {error && (
          <p className="error-banner full" role="alert" data-testid="delete-error">
            Cannot delete {server.name}: {error}
          </p>
        )}
      </>
    );
  }
  return (
    <fieldset className="confirm full" aria-label={`Delete ${server.name}?`}>
      Delete {server.name}? Its jobs' history must be gone first.{" "}
      <button
        type="button"
        className="btn danger"
        disabled={remove.isPending}
        onClick={() => remove.mutate({ params: { path: { id: server.id } } })}
      >
        Confirm delete
      </button>{" "}
      <button type="button" className="btn ghost" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </fieldset>
  );
}
