import { Link } from "react-router";
import type { Credential, Server } from "../../../api/client";
import { CredentialOptions, ServerOptions } from "../../../components/ChoiceOptions";
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
            <ServerOptions servers={servers} />
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
            <CredentialOptions credentials={credentials} />
          </select>
        )}
      </Field>
      <Field label="Title" error={errors.title} hint={`Default: ${defaultTitle}`}>
        {(p) => <input {...p} value={title} onChange={(e) => onTitle(e.target.value)} />}
      </Field>
    </div>
  );
}
