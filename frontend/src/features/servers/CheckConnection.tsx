import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { $api, type Schemas, type Server } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { FixHint } from "../../components/FixHint";
import { credentialQueries } from "../credentials/queries";

export function CheckConnection({ server }: { server: Server }) {
  const credentials = useQuery(credentialQueries.list());
  const mine = (credentials.data?.results ?? []).filter((c) => c.server === server.id);
  const [credential, setCredential] = useState("");
  const [result, setResult] = useState<Schemas["CheckResult"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const check = $api.useMutation("post", "/api/servers/{id}/check/", {
    onSuccess: (data) => setResult(data),
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <>
      {mine.length > 1 && (
        <select
          aria-label={`Credential to check ${server.name} with`}
          value={credential}
          onChange={(e) => setCredential(e.target.value)}
        >
          <option value="">First credential</option>
          {mine.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name || c.username}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        className="btn"
        disabled={check.isPending}
        onClick={() => {
          setError(null);
          setResult(null);
          check.mutate({
            params: { path: { id: server.id } },
            body: credential ? { credential: Number(credential) } : {},
          });
        }}
      >
        {check.isPending ? "Checking…" : "Check connection"}
      </button>
      {(result || error) && (
        <div
          className={`full ${result?.ok ? "ok-banner" : "error-banner"}`}
          role="status"
          data-testid="check-result"
        >
          <p>
            {result?.ok
              ? `Connected in ${Math.round(result.latency_ms ?? 0)} ms.`
              : result?.latency_ms != null
                ? result.error
                : `Connection failed: ${result?.error || error}`}
          </p>
          {result && result.interpreters.length > 0 && (
            <ul className="plain-list" aria-label="Interpreters">
              {result.interpreters.map((i) => (
                <li key={i.id}>
                  {i.ok ? "✓" : "✗"} {i.name}
                  {i.detail ? `: ${i.detail}` : " starts"}
                </li>
              ))}
            </ul>
          )}
          {!result?.ok && <FixHint message={result?.error || error} />}
        </div>
      )}
    </>
  );
}
