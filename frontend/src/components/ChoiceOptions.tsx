import type { Credential, Server } from "../api/client";

/** "Choose…", then one option per server, by name. */
export function ServerOptions({ servers }: { servers: Server[] }) {
  return (
    <>
      <option value="">Choose…</option>
      {servers.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </>
  );
}

/** "Choose…", then one option per credential: its name, or its username and kind. */
export function CredentialOptions({ credentials }: { credentials: Credential[] }) {
  return (
    <>
      <option value="">Choose…</option>
      {credentials.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name || `${c.username} (${c.kind})`}
        </option>
      ))}
    </>
  );
}
