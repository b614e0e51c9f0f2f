import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { DataTable } from "../../components/DataTable";
import { serverQueries } from "../servers/queries";
import { TokensPanel } from "../tokens/TokensPanel";
import { CredentialForm } from "./CredentialForm";
import { CredentialRow } from "./CredentialRow";
import { GenerateForm } from "./GenerateForm";
import { credentialQueries } from "./queries";

export function CredentialsPage() {
  const servers = useQuery(serverQueries.servers());
  const credentials = useQuery(credentialQueries.list());
  const [mode, setMode] = useState<"none" | "add" | "generate">("none");
  const serverList = servers.data?.results ?? [];
  const serverName = (id: number) => serverList.find((s) => s.id === id)?.name ?? `#${id}`;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Credentials</h1>
        <div className="actions">
          <button
            type="button"
            className="btn primary"
            onClick={() => setMode("add")}
            aria-pressed={mode === "add"}
          >
            Add credential
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setMode("generate")}
            aria-pressed={mode === "generate"}
          >
            Generate and deploy a key
          </button>
        </div>
      </div>
      <p className="muted">
        Secrets are encrypted at rest and never shown again. Only you can use your credentials.
      </p>
      {mode === "add" && (
        <div className="card">
          <h2>Add credential</h2>
          <CredentialForm servers={serverList} onDone={() => setMode("none")} />
        </div>
      )}
      {mode === "generate" && (
        <div className="card">
          <h2>Generate and deploy a key</h2>
          <GenerateForm servers={serverList} onDone={() => setMode("none")} />
        </div>
      )}
      {credentials.isError && (
        <p className="error-banner" role="alert">
          {errorMessage(credentials.error)}
        </p>
      )}
      {credentials.data?.results.length === 0 ? (
        <p className="muted">No credentials yet.</p>
      ) : (
        <DataTable columns={["Name", "Server", "Username", "Kind", "Created"]} actions>
          {credentials.data?.results.map((c) => (
            <CredentialRow key={c.id} credential={c} serverName={serverName(c.server)} />
          ))}
        </DataTable>
      )}
      <TokensPanel />
    </section>
  );
}
