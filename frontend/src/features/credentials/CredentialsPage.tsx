import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { $api, type Credential, type Schemas, type Server } from "../../api/client";
import { errorMessage, type FieldErrors, mapApiErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { formatTime } from "../../lib/format";

const FIELDS = [
  "server",
  "name",
  "username",
  "kind",
  "private_key",
  "passphrase",
  "password",
] as const;

function useInvalidateCredentials() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["get", "/api/credentials/"] });
}

export function CredentialsPage() {
  const servers = $api.useQuery("get", "/api/servers/", { params: { query: { page_size: 200 } } });
  const credentials = $api.useQuery("get", "/api/credentials/", {
    params: { query: { page_size: 200 } },
  });
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
        <div className="table-wrap card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Server</th>
                <th scope="col">Username</th>
                <th scope="col">Kind</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {credentials.data?.results.map((c) => (
                <CredentialRow key={c.id} credential={c} serverName={serverName(c.server)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CredentialRow({ credential, serverName }: { credential: Credential; serverName: string }) {
  const invalidate = useInvalidateCredentials();
  const [confirming, setConfirming] = useState(false);
  const [removeFromServer, setRemoveFromServer] = useState(credential.kind === "key");
  const [error, setError] = useState<string | null>(null);
  const remove = $api.useMutation("delete", "/api/credentials/{id}/", {
    onSuccess: () => void invalidate(),
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

function ServerSelect({
  servers,
  value,
  onChange,
  error,
}: {
  servers: Server[];
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  return (
    <Field label="Server" error={error}>
      {(p) => (
        <select {...p} name="server" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function useFormErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const onError = (body: unknown) => {
    const mapped = mapApiErrors(body, FIELDS);
    setErrors(mapped.fields);
    setGeneral(mapped.general);
  };
  const reset = () => {
    setErrors({});
    setGeneral([]);
  };
  const banner =
    general.length > 0 ? (
      <div className="error-banner" role="alert">
        {general.map((m) => (
          <p key={m}>{m}</p>
        ))}
      </div>
    ) : null;
  return { errors, onError, reset, banner };
}

function CredentialForm({ servers, onDone }: { servers: Server[]; onDone: () => void }) {
  const invalidate = useInvalidateCredentials();
  const [server, setServer] = useState(servers.length === 1 ? String(servers[0]?.id) : "");
  const [name, setName] = useState("");
  const [username, setUsername] = useState("");
  const [kind, setKind] = useState<Schemas["CredentialKindEnum"]>("key");
  const [privateKey, setPrivateKey] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [password, setPassword] = useState("");
  const { errors, onError, reset, banner } = useFormErrors();
  const create = $api.useMutation("post", "/api/credentials/", {
    onSuccess: () => {
      void invalidate();
      onDone();
    },
    onError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset();
    create.mutate({
      body: {
        server: Number(server),
        name,
        username,
        kind,
        ...(kind === "key" ? { private_key: privateKey, passphrase } : { password }),
      },
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Add credential">
      {banner}
      <div className="grid-3">
        <ServerSelect servers={servers} value={server} onChange={setServer} error={errors.server} />
        <Field label="Username" error={errors.username}>
          {(p) => (
            <input
              {...p}
              name="username"
              autoComplete="off"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field label="Name" error={errors.name} hint="Optional label.">
          {(p) => (
            <input {...p} name="name" value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
      </div>
      <fieldset className="field">
        <legend>Kind</legend>
        <div className="checks">
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={kind === "key"}
              onChange={() => setKind("key")}
            />{" "}
            Private key
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={kind === "password"}
              onChange={() => setKind("password")}
            />{" "}
            Password
          </label>
        </div>
      </fieldset>
      {kind === "key" ? (
        <>
          <Field label="Private key" error={errors.private_key} hint="OpenSSH or PEM text.">
            {(p) => (
              <textarea
                {...p}
                name="private_key"
                className="mono"
                rows={6}
                spellCheck={false}
                value={privateKey}
                onChange={(e) => setPrivateKey(e.target.value)}
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              />
            )}
          </Field>
          <Field label="Passphrase" error={errors.passphrase} hint="Only if the key has one.">
            {(p) => (
              <input
                {...p}
                name="passphrase"
                type="password"
                autoComplete="off"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
              />
            )}
          </Field>
        </>
      ) : (
        <Field label="Password" error={errors.password}>
          {(p) => (
            <input
              {...p}
              name="password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
      )}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          Save credential
        </button>
        <button type="button" className="btn ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function GenerateForm({ servers, onDone }: { servers: Server[]; onDone: () => void }) {
  const invalidate = useInvalidateCredentials();
  const [server, setServer] = useState(servers.length === 1 ? String(servers[0]?.id) : "");
  const [name, setName] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [created, setCreated] = useState<Credential | null>(null);
  const { errors, onError, reset, banner } = useFormErrors();
  const generate = $api.useMutation("post", "/api/credentials/generate/", {
    onSuccess: (data) => {
      setPassword("");
      setCreated(data);
      void invalidate();
    },
    onError,
  });
  if (created) {
    return (
      <div className="ok-banner" role="status">
        <p>
          Key installed for <strong>{created.username}</strong>. Public key:
        </p>
        <code className="mono small pubkey-block">{created.public_key}</code>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset();
    generate.mutate({ body: { server: Number(server), username, name, password } });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Generate and deploy a key">
      <p className="muted small">
        DRS creates an ed25519 key pair, logs in once with the password below to add the public key
        to
        <code> ~/.ssh/authorized_keys</code>, and forgets the password.
      </p>
      {banner}
      <div className="grid-2">
        <ServerSelect servers={servers} value={server} onChange={setServer} error={errors.server} />
        <Field label="Name" error={errors.name} hint="Optional label.">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Username" error={errors.username}>
          {(p) => (
            <input
              {...p}
              autoComplete="off"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field label="One-time password" error={errors.password} hint="Used once, never stored.">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={generate.isPending}>
          {generate.isPending ? "Deploying…" : "Generate and deploy"}
        </button>
        <button type="button" className="btn ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
