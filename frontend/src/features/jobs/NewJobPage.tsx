import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { $api, type Job, type Schemas } from "../../api/client";
import { CodeEditor } from "../../components/CodeEditor";
import { Field } from "../../components/Field";
import { FixHint } from "../../components/FixHint";
import { parseEnvironment, parseLines } from "../../lib/format";
import { applyApiErrors } from "../../lib/forms";
import { credentialQueries } from "../credentials/queries";
import { NotifyEmailOption } from "../notifications/NotifyEmailOption";
import { serverQueries } from "../servers/queries";
import { type DraftInput, draftsFromJob, InputsPicker } from "./InputsPicker";
import { jobInvalidation, jobQueries } from "./queries";
import { ResourcesFields } from "./ResourcesFields";
import { NO_RESOURCES, type ResourceValues, resourcesBody, resourcesValues } from "./resources";

type LogPolicy = Schemas["LogPolicyEnum"];

interface JobForm {
  title: string;
  server: string;
  credential: string;
  interpreter: string;
  program: string;
  arguments: string;
  environment: string;
  timeout_seconds: string;
  log_policy: LogPolicy;
  result_patterns: string;
  resources: ResourceValues;
}

const FIELDS = [
  "title",
  "server",
  "credential",
  "interpreter",
  "program",
  "arguments",
  "environment",
  "timeout_seconds",
  "log_policy",
  "result_patterns",
  "resources",
] as const;

const EXAMPLE = `import time

for i in range(1, 11):
    print(f"step {i}/10", flush=True)
    time.sleep(0.5)

with open("result.txt", "w") as f:
    f.write("done\\n")
`;

const EMPTY: JobForm = {
  title: "",
  server: "",
  credential: "",
  interpreter: "",
  program: EXAMPLE,
  arguments: "",
  environment: "",
  timeout_seconds: "",
  log_policy: "live",
  result_patterns: "*.txt",
  resources: NO_RESOURCES,
};

/** The form filled from an earlier job ("Edit and rerun"). */
function fromJob(job: Job): JobForm {
  return {
    title: job.title,
    server: String(job.server),
    credential: job.credential != null ? String(job.credential) : "",
    interpreter: String(job.interpreter),
    program: job.program,
    arguments: ((job.arguments as string[] | undefined) ?? []).join("\n"),
    environment: Object.entries(job.environment ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    timeout_seconds: job.timeout_seconds != null ? String(job.timeout_seconds) : "",
    log_policy: job.log_policy,
    result_patterns: ((job.result_patterns as string[] | undefined) ?? []).join("\n"),
    resources: resourcesValues(job.resources),
  };
}

export function NewJobPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const fromId = params.get("from");
  const source = useQuery({ ...jobQueries.detail(fromId ?? ""), enabled: Boolean(fromId) });
  const servers = useQuery(serverQueries.servers());
  const credentials = useQuery(credentialQueries.list());
  const interpreters = useQuery(serverQueries.interpreters());
  const [general, setGeneral] = useState<string[]>([]);
  const [inputs, setInputs] = useState<DraftInput[]>([]);
  const uploading = inputs.some((i) => !i.error && !i.file && i.result === undefined);
  const [notifyEmail, setNotifyEmail] = useState<boolean | null>(null);

  const form = useForm<JobForm>({ defaultValues: EMPTY });
  const { register, control, handleSubmit, setValue, setError, watch, reset, formState } = form;
  // The API's error on the whole resources object belongs to no input: cleared by hand
  // before each submit, or it would block the next one.
  const clearResourcesError = () => form.clearErrors("resources");
  const errors = formState.errors;
  const server = watch("server");
  const credential = watch("credential");
  const interpreter = watch("interpreter");

  // The form renders once its choices have loaded, so its selects can hold their values;
  // for "Edit and rerun" it is then filled from the earlier job, once.
  const ready = Boolean(
    servers.data && credentials.data && interpreters.data && (!fromId || source.data),
  );
  const filled = useRef(false);
  useEffect(() => {
    if (ready && source.data && !filled.current) {
      filled.current = true;
      reset(fromJob(source.data));
      setInputs(draftsFromJob(source.data));
    }
  }, [ready, source.data, reset]);

  const enabledServers = (servers.data?.results ?? []).filter((s) => s.enabled !== false);
  const selectedServer = enabledServers.find((s) => String(s.id) === server);
  const batch = selectedServer?.scheduler !== undefined && selectedServer.scheduler !== "direct";
  const serverCredentials = (credentials.data?.results ?? []).filter(
    (c) => String(c.server) === server,
  );
  const serverInterpreters = useMemo(() => {
    // Only what the chosen server offers: the backend refuses any other interpreter.
    const allowed = selectedServer?.interpreters ?? [];
    return (interpreters.data?.results ?? []).filter((i) => allowed.includes(i.id));
  }, [interpreters.data, selectedServer]);

  // Sensible defaults as the lists arrive or the server changes. A job's credential that
  // is not the user's own (staff rerunning someone else's job) is replaced by theirs.
  useEffect(() => {
    if (!server && enabledServers.length === 1) setValue("server", String(enabledServers[0]?.id));
  }, [server, enabledServers, setValue]);
  useEffect(() => {
    if (!credentials.data) return;
    if (!serverCredentials.some((c) => String(c.id) === credential)) {
      setValue("credential", serverCredentials[0] ? String(serverCredentials[0].id) : "");
    }
  }, [serverCredentials, credential, credentials.data, setValue]);
  useEffect(() => {
    if (!interpreters.data) return;
    if (!serverInterpreters.some((i) => String(i.id) === interpreter)) {
      setValue("interpreter", serverInterpreters[0] ? String(serverInterpreters[0].id) : "");
    }
  }, [serverInterpreters, interpreter, interpreters.data, setValue]);

  const create = $api.useMutation("post", "/api/jobs/", {
    onSuccess: (job) => {
      void jobInvalidation.lists(queryClient);
      navigate(`/jobs/${job.id}`);
    },
    onError: (error) => setGeneral(applyApiErrors(error, FIELDS, setError)),
  });

  const submit = handleSubmit((v) => {
    setGeneral([]);
    const failed = inputs.find((i) => i.error);
    if (failed) {
      setGeneral([`The upload of ${failed.label} failed: remove it or add it again.`]);
      return;
    }
    const env = parseEnvironment(v.environment);
    create.mutate({
      body: {
        title: v.title,
        server: Number(v.server),
        credential: Number(v.credential),
        interpreter: Number(v.interpreter),
        program: v.program,
        arguments: parseLines(v.arguments),
        environment: env.value,
        timeout_seconds: v.timeout_seconds.trim() === "" ? null : Number(v.timeout_seconds),
        log_policy: v.log_policy,
        result_patterns: parseLines(v.result_patterns),
        ...(batch ? { resources: resourcesBody(v.resources) } : {}),
        inputs: inputs.map((i) =>
          i.result !== undefined
            ? { result: i.result, path: i.path }
            : { file: i.file, path: i.path },
        ),
        ...(notifyEmail != null ? { notify_email: notifyEmail } : {}),
        ...(fromId && source.data ? { rerun_of: source.data.id } : {}),
      },
    });
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>{fromId ? "Edit and rerun" : "New job"}</h1>
      </div>
      {fromId && source.data && (
        <p className="muted">
          Filled from <Link to={`/jobs/${fromId}`}>{source.data.title || fromId.slice(0, 8)}</Link>:
          change anything, then submit a new job.
        </p>
      )}
      {!ready &&
        (source.error ? (
          <p className="error-banner">The job to copy could not be loaded.</p>
        ) : (
          <p className="muted">Loading…</p>
        ))}
      {ready && (
        <form
          className="form card job-form"
          onSubmit={(e) => {
            clearResourcesError();
            void submit(e);
          }}
          noValidate
          aria-label="New job"
        >
          {general.length > 0 && (
            <div className="error-banner" role="alert">
              {general.map((m) => (
                <p key={m}>{m}</p>
              ))}
              <FixHint message={general.join(" ")} />
            </div>
          )}
          <Field label="Title" error={errors.title?.message}>
            {(p) => <input {...p} {...register("title")} />}
          </Field>
          <div className="grid-3">
            <Field
              label="Server"
              error={errors.server?.message}
              hint={
                enabledServers.length === 0 ? (
                  <>
                    No server yet: <Link to="/servers">add one on the Servers page</Link> (staff).
                  </>
                ) : undefined
              }
            >
              {(p) => (
                <select {...p} {...register("server", { required: "Choose a server." })}>
                  <option value="">Choose…</option>
                  {enabledServers.map((s) => (
                    <option key={s.id} value={s.id} disabled={!s.host_key && s.kind !== "local"}>
                      {s.name}
                      {!s.host_key && s.kind !== "local" ? " (host key not pinned)" : ""}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="Credential"
              error={errors.credential?.message}
              hint={
                server && credentials.data && serverCredentials.length === 0 ? (
                  <>
                    None for this server yet: <Link to="/credentials">add one</Link>.
                  </>
                ) : undefined
              }
            >
              {(p) => (
                <select
                  {...p}
                  {...register("credential", {
                    required: "Choose a credential (add one on the Credentials page).",
                  })}
                >
                  <option value="">Choose…</option>
                  {serverCredentials.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name || `${c.username} (${c.kind})`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="Interpreter"
              error={errors.interpreter?.message}
              hint={
                selectedServer && serverInterpreters.length === 0 ? (
                  <>
                    This server offers none yet: staff tick them on the{" "}
                    <Link to="/servers">Servers page</Link> (Edit).
                  </>
                ) : undefined
              }
            >
              {(p) => (
                <select {...p} {...register("interpreter", { required: "Choose an interpreter." })}>
                  <option value="">Choose…</option>
                  {serverInterpreters.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field
            label="Program"
            error={errors.program?.message}
            hint="Tab indents; press Esc then Tab to move on."
          >
            {(p) => (
              <Controller
                control={control}
                name="program"
                render={({ field }) => (
                  <CodeEditor {...p} value={field.value} onChange={field.onChange} rows={16} />
                )}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field label="Arguments" error={errors.arguments?.message} hint="One per line.">
              {(p) => <textarea {...p} {...register("arguments")} className="mono" rows={3} />}
            </Field>
            <Field
              label="Environment"
              error={errors.environment?.message}
              hint="NAME=value, one per line."
            >
              {(p) => (
                <textarea
                  {...p}
                  {...register("environment", {
                    validate: (v) => parseEnvironment(v).error ?? true,
                  })}
                  className="mono"
                  rows={3}
                />
              )}
            </Field>
          </div>
          <div className="grid-3">
            <Field
              label="Timeout (seconds)"
              error={errors.timeout_seconds?.message}
              hint="Empty: no limit."
            >
              {(p) => (
                <input
                  {...p}
                  {...register("timeout_seconds", {
                    validate: (v) => v.trim() === "" || /^\d+$/.test(v.trim()) || "Whole seconds.",
                  })}
                  inputMode="numeric"
                />
              )}
            </Field>
            <Field label="Log policy" error={errors.log_policy?.message}>
              {(p) => (
                <select {...p} {...register("log_policy")}>
                  <option value="live">Live: stream and keep every byte</option>
                  <option value="total">Total: keep the output when the job ends</option>
                  <option value="none">None: keep no output</option>
                </select>
              )}
            </Field>
            <Field
              label="Result patterns"
              error={errors.result_patterns?.message}
              hint="Globs, one per line; !glob excludes; last match wins."
            >
              {(p) => (
                <textarea {...p} {...register("result_patterns")} className="mono" rows={3} />
              )}
            </Field>
          </div>
          {batch && (
            <ResourcesFields
              field={(key) => register(`resources.${key}`)}
              error={errors.resources?.message}
              hint={`${selectedServer?.name} runs jobs through ${selectedServer?.scheduler}: blank fields take the server's defaults; the timeout is the walltime.`}
            />
          )}
          <InputsPicker value={inputs} onChange={setInputs} />
          <NotifyEmailOption value={notifyEmail} onChange={setNotifyEmail} />
          <div className="form-actions">
            <button type="submit" className="btn primary" disabled={create.isPending || uploading}>
              {create.isPending ? "Submitting…" : uploading ? "Uploading…" : "Submit job"}
            </button>
            <Link to="/jobs" className="btn ghost">
              Cancel
            </Link>
          </div>
        </form>
      )}
    </section>
  );
}
