import { Link } from "react-router";
import type { Credential, Server } from "../../../api/client";
import { CredentialOptions, ServerOptions } from "../../../components/ChoiceOptions";
import { Field } from "../../../components/Field";
import { useMe } from "../../auth/auth";

/** Server (those the application allows), credential for it, and the job's title. */
export function LaunchTargetFields({
  servers,
  missingInterpreter,
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
  /** The application's interpreter when no server it may run on offers it. */
  missingInterpreter?: string | undefined;
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
  const { me } = useMe();
  return (
    <div className="grid-3">
      <Field
        label="Server"
        error={errors.server}
        hint={
          missingInterpreter ? (
            <>
              No server offers this application's interpreter “{missingInterpreter}”
              {me?.is_staff ? (
                <>
                  : add it to a server on the <Link to="/servers">Servers</Link> page.
                </>
              ) : (
                ": ask your administrator to add it to a server."
              )}
            </>
          ) : undefined
        }
      >
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
