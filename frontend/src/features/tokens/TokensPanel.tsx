import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { $api } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { DataTable } from "../../components/DataTable";
import { Name } from "../../components/Name";
import { formatTime } from "../../lib/format";
import { tokenInvalidation, tokenQueries } from "./queries";

/** Your API tokens (for scripts and the `drs` CLI): list, create (shown once), revoke. */
export function TokensPanel() {
  const queryClient = useQueryClient();
  const tokens = useQuery(tokenQueries.list());
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = $api.useMutation("post", "/api/auth/tokens/", {
    onSuccess: (data) => {
      setCreated(data.token);
      setName("");
      setError(null);
      void tokenInvalidation.list(queryClient);
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const revoke = $api.useMutation("delete", "/api/auth/tokens/{id}/", {
    onSuccess: () => void tokenInvalidation.list(queryClient),
    onError: (e) => setError(errorMessage(e)),
  });

  return (
    <section className="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted small">
        For scripts and the <code>drs</code> command line (<code>Authorization: Token …</code>). A
        token is shown once, when it is created; it expires, and you can revoke it here.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ body: { name } });
        }}
      >
        <label>
          Token name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <button type="submit" className="btn" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {created && (
        <p role="status">
          New token (copy it now, it will not be shown again):{" "}
          <code className="mono" data-testid="new-token">
            {created}
          </code>
        </p>
      )}
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {tokens.data && tokens.data.length > 0 && (
        <DataTable columns={["Name", "Prefix", "Last used", "Expires"]} actions card={false}>
          {tokens.data.map((t) => (
            <tr key={t.id}>
              <td data-label="Name">
                <Name text={t.name} />
              </td>
              <td data-label="Prefix" className="mono">
                {t.prefix}…
              </td>
              <td data-label="Last used">
                {t.last_used_at ? formatTime(t.last_used_at) : "never"}
              </td>
              <td data-label="Expires">{formatTime(t.expires_at)}</td>
              <td>
                <button
                  type="button"
                  className="btn danger small"
                  aria-label={`Revoke ${t.name}`}
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate({ params: { path: { id: t.id } } })}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
