import { useState } from "react";
import type { Interpreter, Server } from "../../api/client";
import { CheckConnection } from "./CheckConnection";
import { DeleteServer } from "./DeleteServer";
import { HostKeyScan } from "./HostKeyScan";
import { ServerForm } from "./ServerForm";

export function ServerCard({
  server,
  staff,
  interpreters,
}: {
  server: Server;
  staff: boolean;
  interpreters: Interpreter[];
}) {
  const [editing, setEditing] = useState(false);
  const names = interpreters.filter((i) => server.interpreters?.includes(i.id)).map((i) => i.name);
  const pinned = Boolean(server.host_key);
  return (
    <article className="card server-card" aria-labelledby={`server-${server.id}`}>
      <div className="server-head">
        <h2 id={`server-${server.id}`}>{server.name}</h2>
        <span className="mono muted">
          {server.kind === "local"
            ? "local (worker host)"
            : `${server.hostname}:${server.port ?? 22}`}
        </span>
        {server.enabled === false && <span className="tag">disabled</span>}
      </div>
      <dl className="facts compact">
        <div className="wide">
          <dt>Host key</dt>
          <dd>
            {pinned ? (
              <span className="mono small" data-testid="pinned-fingerprint">
                {server.host_key_fingerprint || "pinned"}
              </span>
            ) : server.kind === "local" ? (
              <span className="muted">not needed</span>
            ) : (
              <span className="warn">Not pinned: jobs are refused until a key is approved.</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Interpreters</dt>
          <dd data-testid="server-interpreters">
            {names.length ? (
              names.join(", ")
            ) : (
              <span className="warn">
                None: jobs cannot run here until staff tick interpreters (Edit).
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Concurrent jobs</dt>
          <dd>{server.max_concurrent_jobs ?? "–"}</dd>
        </div>
        {server.jobs_directory && (
          <div>
            <dt>Jobs directory</dt>
            <dd className="mono small">{server.jobs_directory}</dd>
          </div>
        )}
      </dl>
      <div className="card-actions">
        {staff && server.kind !== "local" && <HostKeyScan server={server} />}
        <CheckConnection server={server} />
        {staff && (
          <button
            type="button"
            className="btn ghost"
            onClick={() => setEditing((v) => !v)}
            aria-expanded={editing}
          >
            {editing ? "Close editor" : "Edit"}
          </button>
        )}
        {staff && <DeleteServer server={server} />}
      </div>
      {editing && (
        <ServerForm server={server} interpreters={interpreters} onDone={() => setEditing(false)} />
      )}
    </article>
  );
}
