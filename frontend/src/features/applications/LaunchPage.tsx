import type { ErrorSchema } from "@rjsf/utils";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { $api } from "../../api/client";
import { ApiError, mapApiErrors } from "../../api/errors";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { useFillOnce } from "../../lib/useFillOnce";
import { credentialQueries } from "../credentials/queries";
import { jobInvalidation, jobQueries } from "../jobs/queries";
import { serverQueries } from "../servers/queries";
import { LaunchTargetFields } from "./launch/LaunchTargetFields";
import { SweepFields, useSweep } from "./launch/SweepFields";
import { Markdown } from "./Markdown";
import { applicationQueries } from "./queries";
import {
  ParameterForm,
  type ParameterSchema,
  parameterErrors,
  type Values,
  withoutVaried,
} from "./schemaForm";

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
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);

  // "Edit and rerun": the earlier job's values, server and credential, once.
  useFillOnce(source.data, (job) => {
    setInitial({ key: job.id, values: (job.parameters as Values | null) ?? {} });
    setServer(String(job.server));
    if (job.credential != null) setCredential(String(job.credential));
    setTitle(job.title);
  });

  const schema = (app.data?.parameters ?? { type: "object" }) as ParameterSchema;
  const allowed = app.data?.servers ?? [];
  const permitted = (servers.data?.results ?? []).filter(
    (s) => s.enabled !== false && (!allowed.length || allowed.includes(s.id)),
  );
  // Only servers that offer the application's interpreter can run it.
  const appServers = permitted.filter((s) => s.interpreters?.includes(app.data?.interpreter ?? -1));
  const missingInterpreter =
    permitted.length > 0 && appServers.length === 0 ? app.data?.interpreter_name : undefined;
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

  const sweepState = useSweep(schema);
  const { sweep, varied, count, invalid: varyInvalid } = sweepState;

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
      launchSweep.mutate({ body: { ...common, title, parameters, vary: sweepState.lists() } });
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
        <LaunchTargetFields
          servers={appServers}
          missingInterpreter={missingInterpreter}
          credentials={serverCredentials}
          server={server}
          credential={credential}
          title={title}
          defaultTitle={app.data.title}
          errors={fieldErrors}
          onServer={setServer}
          onCredential={setCredential}
          onTitle={setTitle}
        />
        <SweepFields sweep={sweepState} error={fieldErrors.vary} />
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
