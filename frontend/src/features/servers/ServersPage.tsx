import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { useMe } from "../auth/auth";
import { InterpretersPanel } from "./InterpretersPanel";
import { serverQueries } from "./queries";
import { ServerCard } from "./ServerCard";
import { ServerForm } from "./ServerForm";

export function ServersPage() {
  const { me } = useMe();
  const staff = Boolean(me?.is_staff);
  const servers = useQuery(serverQueries.servers());
  const interpreters = useQuery(serverQueries.interpreters());
  const [adding, setAdding] = useState(false);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Servers</h1>
        {staff && !adding && (
          <button type="button" className="btn primary" onClick={() => setAdding(true)}>
            Add server
          </button>
        )}
      </div>
      {adding && (
        <div className="card">
          <h2>Add server</h2>
          <ServerForm
            interpreters={interpreters.data?.results ?? []}
            onDone={() => setAdding(false)}
          />
        </div>
      )}
      {servers.isError && (
        <p className="error-banner" role="alert">
          {errorMessage(servers.error)}
        </p>
      )}
      {servers.data?.results.length === 0 && (
        <p className="muted">
          No servers yet.
          {staff ? " Add one to start running jobs." : " Ask an administrator to add one."}
        </p>
      )}
      <div className="server-list">
        {servers.data?.results.map((s) => (
          <ServerCard
            key={s.id}
            server={s}
            staff={staff}
            interpreters={interpreters.data?.results ?? []}
          />
        ))}
      </div>
      {staff && <InterpretersPanel interpreters={interpreters.data?.results ?? []} />}
    </section>
  );
}
