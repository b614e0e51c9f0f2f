import type { ErrorSchema } from "@rjsf/utils";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { $api } from "../../api/client";
import { ApiError, mapApiErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { credentialQueries } from "../credentials/queries";
import { jobInvalidation, jobQueries } from "../jobs/queries";
import { serverQueries } from "../servers/queries";
import { Markdown } from "./Markdown";
import { applicationQueries } from "./queries";
import {
  ParameterForm,
  type ParameterSchema,
  parameterErrors,
  type Values,
  withoutVaried,
} from "./schemaForm";
import { jobCount, parseValues } from "./sweep";

/** Launch an application: its parameters as a generated form, one job or a sweep. */
export function LaunchPage() {
  const { name = "" } = useParams();
  const [params] = useSearchParams();
  const fromId = params.get("from");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const app = useQuery(applicationQueries.detail(name));
  const servers = useQuery(serverQueries.servers());
  const credentials = useQuery(credentialQueries.list());
  const source = useQuery({ ...jobQueries.detail(fromId ?? ""), enabled: Boolean(fromId) });

  const [server, setServer] = useState("");
  const [credential, setCredential] = useState("");
  const [title, setTitle] = useState("");
  // The form's first values: none, or an earlier job's (a new key refills the form).
  const [initial, setInitial] = useState<{ key: string; values: Values }>({ key: "", values: {} });
  const [sweep, setSweep] = useState(false);
  const [vary, setVary] = useState<Record<string, string>>({});
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);

  // "Edit and rerun": the earlier job's values, server and credential, once.
  const filled = useRef(false);
  useEffect(() => {
    if (source.data && !filled.current) {
      filled.current = true;
      setInitial({ key: source.data.id, values: (source.data.parameters as Values | null) ?? {} });
      setServer(String(source.data.server));
      if (source.data.credential != null) setCredential(String(source.data.credential));
      setTitle(source.data.title);
    }
  }, [source.data]);

  const schema = (app.data?.parameters ?? { type: "object" }) as ParameterSchema;
  const allowed = app.data?.servers ?? [];
  const appServers = (servers.data?.results ?? []).filter(
    (s) => s.enabled !== false && (!allowed.length || allowed.includes(s.id)),
  );
  const serverCredentials = (credentials.data?.results ?? []).filter(
    (c) => String(c.server) === server,
  );
  useEffect(() => {
    if (!server && appServers.length === 1) setServer(String(appServers[0]?.id));
  }, [server, appServers]);
  useEffect(() => {
    if (!credentials.data) return;
    if (!serverCredentials.some((c) => String(c.id) === credential)) {
      setCredential(serverCredentials[0] ? String(serverCredentials[0].id) : "");
    }
  }, [serverCredentials, credential, credentials.data]);

  const properties = schema.properties ?? {};
  const varied = sweep ? Object.keys(vary).filter((n) => vary[n] !== undefined) : [];
  const parsed = useMemo(
    () =>
      Object.fromEntries(
        varied.map((n) => [n, parseValues(properties[n] ?? {}, vary[n] ?? "")] as const),
      ),
    [varied, properties, vary],
  );
  const count = jobCount(varied.map((n) => parsed[n]?.values ?? []));
  const varyInvalid = varied.some((n) => parsed[n]?.errors.length);

  const showErrors = (error: unknown) => {
    const body = error instanceof ApiError ? error.body : null;
    setExtraErrors(parameterErrors(body));
    const mapped = mapApiErrors(error, ["server", "credential", "title", "vary"]);
    setFieldErrors(mapped.fields);
    setGeneral(
      mapped.general
        .filter((m) => !m.startsWith("parameters"))
        .concat(parameterErrors(body) ? ["Some parameters need a change: see the form."] : []),
    );
  };
  const launch = $api.useMutation("post", "/api/jobs/", {
    onSuccess: (job) => {
      void jobInvalidation.lists(queryClient);
      navigate(`/jobs/${job.id}`);
    },
    onError: showErrors,
  });
  const launchSweep = $api.useMutation("post", "/api/sweeps/", {
    onSuccess: (created) => {
      void jobInvalidation.lists(queryClient);
      navigate(`/sweeps/${created.id}`);
    },
    onError: showErrors,
  });

  const submit = (formValues: Values) => {
    setGeneral([]);
    setFieldErrors({});
    setExtraErrors(undefined);
    const missing: Record<string, string> = {};
    if (!server) missing.server = "Choose a server.";
    if (!credential) missing.credential = "Choose a credential (add one on the Credentials page).";
    if (Object.keys(missing).length) {
      setFieldErrors(missing);
      return;
    }
    const parameters = Object.fromEntries(
      Object.entries(formValues).filter(([n, v]) => v !== undefined && !varied.includes(n)),
    );
    const common = { application: name, server: Number(server), credential: Number(credential) };
    if (sweep) {
      if (!varied.length || varyInvalid) return;
      const lists = Object.fromEntries(varied.map((n) => [n, parsed[n]?.values ?? []]));
      launchSweep.mutate({ body: { ...common, title, parameters, vary: lists } });
    } else {
      launch.mutate({ body: { ...common, title, parameters } });
    }
  };

  if (app.error) {
    return (
      <section className="page">
        <h1>Application not found</h1>
        <p className="muted">
          There is no application named {name}. <Link to="/applications">All applications</Link>
        </p>
      </section>
    );
  }
  if (!app.data || !servers.data || !credentials.data || (fromId && !source.data)) {
    return <p className="page muted">Loading…</p>;
  }
  const pending = launch.isPending || launchSweep.isPending;
  return (
    <section className="page">
      <div className="page-head">
        <h1>{app.data.title}</h1>
        <Link to="/applications" className="btn ghost">
          All applications
        </Link>
      </div>
      {fromId && (
        <p className="muted">
          Filled from <Link to={`/jobs/${fromId}`}>{source.data?.title || fromId.slice(0, 8)}</Link>
          : change anything, then launch a new job.
        </p>
      )}
      {app.data.description && (
        <Markdown className="card app-description" text={app.data.description} />
      )}
      <div className="form card launch-form">
        <FormErrors messages={general} />
        <div className="grid-3">
          <Field label="Server" error={fieldErrors.server}>
            {(p) => (
              <select {...p} value={server} onChange={(e) => setServer(e.target.value)}>
                <option value="">Choose…</option>
                {appServers.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Credential"
            error={fieldErrors.credential}
            hint={
              server && serverCredentials.length === 0 ? (
                <>
                  None for this server yet: <Link to="/credentials">add one</Link>.
                </>
              ) : undefined
            }
          >
            {(p) => (
              <select {...p} value={credential} onChange={(e) => setCredential(e.target.value)}>
                <option value="">Choose…</option>
                {serverCredentials.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name || `${c.username} (${c.kind})`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Title" error={fieldErrors.title} hint={`Default: ${app.data.title}`}>
            {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
        </div>
        <label className="log-option">
          <input type="checkbox" checked={sweep} onChange={(e) => setSweep(e.target.checked)} />
          Sweep: one job per combination of values
        </label>
        {sweep && (
          <fieldset className="field sweep-vary">
            <legend>Vary</legend>
            {Object.entries(properties)
              .filter(([, prop]) => prop.format !== "file")
              .map(([n, prop]) => (
                <div key={n} className="vary-row">
                  <label className="log-option">
                    <input
                      type="checkbox"
                      checked={vary[n] !== undefined}
                      onChange={(e) =>
                        setVary((old) => {
                          const next = { ...old };
                          if (e.target.checked) next[n] = "";
                          else delete next[n];
                          return next;
                        })
                      }
                    />
                    {prop.title ?? n}
                  </label>
                  {vary[n] !== undefined && (
                    <Field
                      label={`Values of ${prop.title ?? n}`}
                      error={parsed[n]?.errors.join(" ") || undefined}
                      hint="Separated by commas."
                    >
                      {(p) => (
                        <input
                          {...p}
                          value={vary[n]}
                          onChange={(e) => setVary((old) => ({ ...old, [n]: e.target.value }))}
                        />
                      )}
                    </Field>
                  )}
                </div>
              ))}
            <p className="sweep-count" aria-live="polite">
              {varied.length ? `${count} job${count === 1 ? "" : "s"}` : "Choose what varies."}
            </p>
            {fieldErrors.vary && (
              <small className="field-error" role="alert">
                {fieldErrors.vary}
              </small>
            )}
          </fieldset>
        )}
        <ParameterForm
          key={initial.key}
          schema={withoutVaried(schema, varied)}
          initial={initial.values}
          onSubmit={submit}
          extraErrors={extraErrors}
        >
          <FormFooter
            submit={pending ? "Launching…" : sweep ? `Launch ${count} jobs` : "Launch"}
            disabled={pending || (sweep && (!varied.length || varyInvalid))}
            cancelTo="/applications"
          />
        </ParameterForm>
      </div>
    </section>
  );
}
