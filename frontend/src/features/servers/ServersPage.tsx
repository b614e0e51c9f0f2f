import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { $api, type Interpreter, type Schemas, type Server } from "../../api/client";
import { errorMessage, type FieldErrors, mapApiErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { useMe } from "../auth/auth";

const SERVER_FIELDS = [
  "name",
  "kind",
  "hostname",
  "port",
  "host_key",
  "jobs_directory",
  "interpreters",
  "max_concurrent_jobs",
  "enabled",
] as const;

function useInvalidateServers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["get", "/api/servers/"] });
}

export function ServersPage() {
  const { me } = useMe();
  const staff = Boolean(me?.is_staff);
  const servers = $api.useQuery("get", "/api/servers/", { params: { query: { page_size: 200 } } });
  const interpreters = $api.useQuery("get", "/api/interpreters/", {
    params: { query: { page_size: 200 } },
  });
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

function ServerCard({
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
          <dd>{names.length ? names.join(", ") : "any"}</dd>
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
      </div>
      {editing && (
        <ServerForm server={server} interpreters={interpreters} onDone={() => setEditing(false)} />
      )}
    </article>
  );
}

function HostKeyScan({ server }: { server: Server }) {
  const invalidate = useInvalidateServers();
  const [scanned, setScanned] = useState<Schemas["HostKey"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const scan = $api.useMutation("post", "/api/servers/{id}/scan-host-key/", {
    onSuccess: (data) => setScanned(data),
    onError: (e) => setError(errorMessage(e)),
  });
  const pin = $api.useMutation("patch", "/api/servers/{id}/", {
    onSuccess: () => {
      setScanned(null);
      void invalidate();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={scan.isPending}
        onClick={() => {
          setError(null);
          setScanned(null);
          scan.mutate({ params: { path: { id: server.id } } });
        }}
      >
        {scan.isPending ? "Scanning…" : "Scan host key"}
      </button>
      {error && (
        <p className="error-banner full" role="alert">
          {error}
        </p>
      )}
      {scanned && (
        <section className="scan-result full" aria-label="Scanned host key">
          <p>
            The host presented this key. Compare the fingerprint with{" "}
            <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the server before
            approving.
          </p>
          <p className="fingerprint mono" data-testid="scanned-fingerprint">
            {scanned.fingerprint}
          </p>
          {server.host_key && server.host_key.trim() !== scanned.key.trim() && (
            <p className="warn">This differs from the key pinned now. Approving replaces it.</p>
          )}
          <details>
            <summary>Public key</summary>
            <pre className="code small">{scanned.key}</pre>
          </details>
          <div className="card-actions">
            <button
              type="button"
              className="btn primary"
              disabled={pin.isPending}
              onClick={() =>
                pin.mutate({ params: { path: { id: server.id } }, body: { host_key: scanned.key } })
              }
            >
              Approve and pin
            </button>
            <button type="button" className="btn ghost" onClick={() => setScanned(null)}>
              Discard
            </button>
          </div>
        </section>
      )}
    </>
  );
}

function CheckConnection({ server }: { server: Server }) {
  const credentials = $api.useQuery("get", "/api/credentials/", {
    params: { query: { page_size: 200 } },
  });
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
        <p
          className={`full ${result?.ok ? "ok-banner" : "error-banner"}`}
          role="status"
          data-testid="check-result"
        >
          {result?.ok
            ? `Connected in ${Math.round(result.latency_ms ?? 0)} ms.`
            : `Connection failed: ${result?.error || error}`}
        </p>
      )}
    </>
  );
}

function ServerForm({
  server,
  interpreters,
  onDone,
}: {
  server?: Server;
  interpreters: Interpreter[];
  onDone: () => void;
}) {
  const invalidate = useInvalidateServers();
  const [name, setName] = useState(server?.name ?? "");
  const [kind, setKind] = useState<Schemas["ServerKindEnum"]>(server?.kind ?? "ssh");
  const [hostname, setHostname] = useState(server?.hostname ?? "");
  const [port, setPort] = useState(String(server?.port ?? 22));
  const [jobsDirectory, setJobsDirectory] = useState(server?.jobs_directory ?? ".drs/jobs");
  const [chosen, setChosen] = useState<number[]>(server?.interpreters ?? []);
  const [maxJobs, setMaxJobs] = useState(String(server?.max_concurrent_jobs ?? 4));
  const [enabled, setEnabled] = useState(server?.enabled ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const onError = (body: unknown) => {
    const mapped = mapApiErrors(body, SERVER_FIELDS);
    setErrors(mapped.fields);
    setGeneral(mapped.general);
  };
  const onSuccess = () => {
    void invalidate();
    onDone();
  };
  const create = $api.useMutation("post", "/api/servers/", { onSuccess, onError });
  const update = $api.useMutation("patch", "/api/servers/{id}/", { onSuccess, onError });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral([]);
    const body = {
      name,
      kind,
      hostname,
      port: Number(port),
      // Blank means "the server's default" for a new server.
      ...(jobsDirectory.trim() || server ? { jobs_directory: jobsDirectory.trim() } : {}),
      interpreters: chosen,
      max_concurrent_jobs: Number(maxJobs),
      enabled,
    };
    if (server) update.mutate({ params: { path: { id: server.id } }, body });
    else create.mutate({ body });
  };
  const pending = create.isPending || update.isPending;

  return (
    <form
      className="form"
      onSubmit={submit}
      noValidate
      aria-label={server ? `Edit ${server.name}` : "Add server"}
    >
      {general.length > 0 && (
        <div className="error-banner" role="alert">
          {general.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      <div className="grid-2">
        <Field label="Name" error={errors.name}>
          {(p) => (
            <input {...p} name="name" value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field label="Kind" error={errors.kind}>
          {(p) => (
            <select
              {...p}
              value={kind}
              onChange={(e) => setKind(e.target.value as Schemas["ServerKindEnum"])}
            >
              <option value="ssh">SSH</option>
              <option value="local">Local (worker host)</option>
            </select>
          )}
        </Field>
      </div>
      {kind === "ssh" && (
        <div className="grid-2">
          <Field label="Hostname" error={errors.hostname}>
            {(p) => (
              <input
                {...p}
                name="hostname"
                value={hostname}
                onChange={(e) => setHostname(e.target.value)}
              />
            )}
          </Field>
          <Field label="Port" error={errors.port}>
            {(p) => (
              <input
                {...p}
                name="port"
                inputMode="numeric"
                value={port}
                onChange={(e) => setPort(e.target.value)}
              />
            )}
          </Field>
        </div>
      )}
      <div className="grid-2">
        <Field
          label="Jobs directory"
          error={errors.jobs_directory}
          hint="Relative paths start at the login home."
        >
          {(p) => (
            <input
              {...p}
              name="jobs_directory"
              className="mono"
              value={jobsDirectory}
              onChange={(e) => setJobsDirectory(e.target.value)}
            />
          )}
        </Field>
        <Field label="Max concurrent jobs" error={errors.max_concurrent_jobs}>
          {(p) => (
            <input
              {...p}
              name="max_concurrent_jobs"
              inputMode="numeric"
              value={maxJobs}
              onChange={(e) => setMaxJobs(e.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset className={`field${errors.interpreters ? " has-error" : ""}`}>
        <legend>Interpreters</legend>
        <div className="checks">
          {interpreters.length === 0 && (
            <span className="muted small">No interpreters defined yet.</span>
          )}
          {interpreters.map((i) => (
            <label key={i.id} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(i.id)}
                onChange={(e) =>
                  setChosen((c) => (e.target.checked ? [...c, i.id] : c.filter((x) => x !== i.id)))
                }
              />
              {i.name}
            </label>
          ))}
        </div>
        {errors.interpreters && <small className="field-error">{errors.interpreters}</small>}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{" "}
        Enabled
      </label>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={pending}>
          {server ? "Save" : "Add server"}
        </button>
        <button type="button" className="btn ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function InterpretersPanel({ interpreters }: { interpreters: Interpreter[] }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [path, setPath] = useState("/usr/bin/env");
  const [args, setArgs] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = $api.useMutation("post", "/api/interpreters/", {
    onSuccess: () => {
      setName("");
      setArgs("");
      setErrors({});
      void queryClient.invalidateQueries({ queryKey: ["get", "/api/interpreters/"] });
    },
    onError: (body) => setErrors(mapApiErrors(body, ["name", "path", "arguments"]).fields),
  });
  return (
    <div className="card">
      <h2>Interpreters</h2>
      <ul className="plain-list">
        {interpreters.map((i) => (
          <li key={i.id}>
            <strong>{i.name}</strong>{" "}
            <span className="mono muted small">{[i.path, ...(i.arguments ?? [])].join(" ")}</span>
          </li>
        ))}
      </ul>
      <form
        className="form grid-4"
        noValidate
        aria-label="Add interpreter"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ body: { name, path, arguments: args.split(" ").filter(Boolean) } });
        }}
      >
        <Field label="Name" error={errors.name}>
          {(p) => (
            <input
              {...p}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="python3"
            />
          )}
        </Field>
        <Field label="Path" error={errors.path}>
          {(p) => (
            <input {...p} className="mono" value={path} onChange={(e) => setPath(e.target.value)} />
          )}
        </Field>
        <Field label="Arguments" error={errors.arguments} hint="Space separated, e.g. python3 -u">
          {(p) => (
            <input {...p} className="mono" value={args} onChange={(e) => setArgs(e.target.value)} />
          )}
        </Field>
        <div className="form-actions end">
          <button type="submit" className="btn">
            Add interpreter
          </button>
        </div>
      </form>
    </div>
  );
}
