import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api, type Credential } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { formatTime } from "../../lib/format";
import { credentialInvalidation } from "./queries";

export function CredentialRow({
  credential,
  serverName,
}: {
  credential: Credential;
  serverName: string;
}) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [removeFromServer, setRemoveFromServer] = useState(credential.kind === "key");
  const [error, setError] = useState<string | null>(null);
  const remove = $api.useMutation("delete", "/api/credentials/{id}/", {
    onSuccess: () => void credentialInvalidation.list(queryClient),
    onError: (e) => setError(errorMessage(e)),
  });
  const label = credential.name || credential.username;
  return (
    <>
      <tr>
        <td data-label="Name">
          <strong>{label}</strong>
          {credential.public_key && (
            <details className="pubkey">
              <summary className="small">Public key</summary>
              <code className="mono small">{credential.public_key}</code>
            </details>
          )}
        </td>
        <td data-label="Server">{serverName}</td>
        <td data-label="Username" className="mono">
          {credential.username}
        </td>
        <td data-label="Kind">{credential.kind}</td>
        <td data-label="Created">{formatTime(credential.created_at)}</td>
        <td>
          {!confirming && (
            <button
              type="button"
              className="btn small danger"
              onClick={() => setConfirming(true)}
              aria-label={`Delete ${label}`}
            >
              Delete
            </button>
          )}
        </td>
      </tr>
      {confirming && (
        <tr className="confirm-row">
          <td colSpan={6}>
            <div className="confirm">
              <span>Delete “{label}”?</span>
              {credential.kind === "key" && (
                <label className="check">
                  <input
                    type="checkbox"
                    checked={removeFromServer}
                    onChange={(e) => setRemoveFromServer(e.target.checked)}
                  />
                  Also remove its public key from the server
                </label>
              )}
              <button
                type="button"
                className="btn small danger"
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate({
                    params: {
                      path: { id: credential.id },
                      query: removeFromServer ? { remove_from_server: true } : {},
                    },
                  })
                }
              >
                {remove.isPending ? "Deleting…" : "Confirm delete"}
              </button>
              <button
                type="button"
                className="btn small ghost"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
              {error && (
                <span className="field-error" role="alert">
                  {error}
                </span>
              )}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
