import { Link } from "react-router";
import type { Credential, Server } from "../../../api/client";
import { Field } from "../../../components/Field";

/** Server (those the application allows), credential for it, and the job's title. */
export function LaunchTargetFields({
  servers,
  credentials,
  server,
  credential,
  title,
  defaultTitle,
  errors,
  onServer,
  onCredential,
  onTitle,
}: {
  servers: Server[];
  credentials: Credential[];
  server: string;
  credential: string;
  title: string;
  defaultTitle: string;
  errors: Record<string, string>;
  onServer: (value: string) => void;
  onCredential: (value: string) => void;
  onTitle: (value: string) => void;
}) {
  return (
    <div className="grid-3">
      <Field label="Server" error={errors.server}>
        {(p) => (
          <select {...p} value={server} onChange={(e) => onServer(e.target.value)}>
            <option value="">Choose…</option>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Credential"
        error={errors.credential}
        hint={
          server && credentials.length === 0 ? (
            <>
              None for this server yet: <Link to="/credentials">add one</Link>.
            </>
          ) : undefined
        }
      >
        {(p) => (
          <select {...p} value={credential} onChange={(e) => onCredential(e.target.value)}>
            <option value="">Choose…</option>
            {credentials.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name || `${c.username} (${c.kind})`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Title" error={errors.title} hint={`Default: ${defaultTitle}`}>
        {(p) => <input {...p} value={title} onChange={(e) => onTitle(e.target.value)} />}
      </Field>
    </div>
  );
}
