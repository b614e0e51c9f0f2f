import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { $api, type Schemas } from "../../api/client";
import { type FieldErrors, mapApiErrors } from "../../api/errors";
import { CodeEditor } from "../../components/CodeEditor";
import { Field } from "../../components/Field";
import { parseEnvironment, parseLines } from "../../lib/format";

type LogPolicy = Schemas["LogPolicyEnum"];

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
] as const;

const EXAMPLE = `import time

for i in range(1, 11):
    print(f"step {i}/10", flush=True)
    time.sleep(0.5)

with open("result.txt", "w") as f:
    f.write("done\\n")
`;

export function NewJobPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const servers = $api.useQuery("get", "/api/servers/", { params: { query: { page_size: 200 } } });
  const credentials = $api.useQuery("get", "/api/credentials/", {
    params: { query: { page_size: 200 } },
  });
  const interpreters = $api.useQuery("get", "/api/interpreters/", {
    params: { query: { page_size: 200 } },
  });

  const [title, setTitle] = useState("");
  const [server, setServer] = useState("");
  const [credential, setCredential] = useState("");
  const [interpreter, setInterpreter] = useState("");
  const [program, setProgram] = useState(EXAMPLE);
  const [argumentsText, setArgumentsText] = useState("");
  const [environmentText, setEnvironmentText] = useState("");
  const [timeout, setTimeoutValue] = useState("");
  const [logPolicy, setLogPolicy] = useState<LogPolicy>("live");
  const [patternsText, setPatternsText] = useState("*.txt");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  // An error goes away as soon as its field is edited.
  const clearError = (field: string) =>
    setErrors((current) => {
      if (!(field in current)) return current;
      const { [field]: _gone, ...rest } = current;
      return rest;
    });

  const enabledServers = (servers.data?.results ?? []).filter((s) => s.enabled !== false);
  const selectedServer = enabledServers.find((s) => String(s.id) === server);
  const serverCredentials = (credentials.data?.results ?? []).filter(
    (c) => String(c.server) === server,
  );
  const serverInterpreters = useMemo(() => {
    const all = interpreters.data?.results ?? [];
    const allowed = selectedServer?.interpreters;
    return allowed?.length ? all.filter((i) => allowed.includes(i.id)) : all;
  }, [interpreters.data, selectedServer]);

  // Sensible defaults as the lists arrive or the server changes.
  useEffect(() => {
    if (!server && enabledServers.length === 1) setServer(String(enabledServers[0]?.id));
  }, [server, enabledServers]);
  useEffect(() => {
    if (!serverCredentials.some((c) => String(c.id) === credential)) {
      setCredential(serverCredentials[0] ? String(serverCredentials[0].id) : "");
    }
  }, [serverCredentials, credential]);
  useEffect(() => {
    if (!serverInterpreters.some((i) => String(i.id) === interpreter)) {
      setInterpreter(serverInterpreters[0] ? String(serverInterpreters[0].id) : "");
    }
  }, [serverInterpreters, interpreter]);

  const create = $api.useMutation("post", "/api/jobs/", {
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: ["get", "/api/jobs/"] });
      navigate(`/jobs/${job.id}`);
    },
    onError: (body) => {
      const mapped = mapApiErrors(body, FIELDS);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local: FieldErrors = {};
    const env = parseEnvironment(environmentText);
    if (env.error) local.environment = env.error;
    if (!server) local.server = "Choose a server.";
    if (!credential) local.credential = "Choose a credential (add one on the Credentials page).";
    if (!interpreter) local.interpreter = "Choose an interpreter.";
    const timeoutSeconds = timeout.trim() === "" ? null : Number(timeout);
    if (timeoutSeconds !== null && !Number.isInteger(timeoutSeconds))
      local.timeout_seconds = "Whole seconds.";
    setGeneral([]);
    setErrors(local);
    if (Object.keys(local).length) return;
    create.mutate({
      body: {
        title,
        server: Number(server),
        credential: Number(credential),
        interpreter: Number(interpreter),
        program,
        arguments: parseLines(argumentsText),
        environment: env.value,
        timeout_seconds: timeoutSeconds,
        log_policy: logPolicy,
        result_patterns: parseLines(patternsText),
      },
    });
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>New job</h1>
      </div>
      <form className="form card job-form" onSubmit={submit} noValidate aria-label="New job">
        {general.length > 0 && (
          <div className="error-banner" role="alert">
            {general.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        <Field label="Title" error={errors.title}>
          {(p) => (
            <input
              {...p}
              name="title"
              value={title}
              onChange={(e) => {
                setTitle(e.target.value);
                clearError("title");
              }}
            />
          )}
        </Field>
        <div className="grid-3">
          <Field label="Server" error={errors.server}>
            {(p) => (
              <select
                {...p}
                name="server"
                value={server}
                onChange={(e) => {
                  setServer(e.target.value);
                  clearError("server");
                }}
              >
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
            error={errors.credential}
            hint={
              server && serverCredentials.length === 0 ? (
                <>
                  None for this server yet: <Link to="/credentials">add one</Link>.
                </>
              ) : undefined
            }
          >
            {(p) => (
              <select
                {...p}
                name="credential"
                value={credential}
                onChange={(e) => {
                  setCredential(e.target.value);
                  clearError("credential");
                }}
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
          <Field label="Interpreter" error={errors.interpreter}>
            {(p) => (
              <select
                {...p}
                name="interpreter"
                value={interpreter}
                onChange={(e) => {
                  setInterpreter(e.target.value);
                  clearError("interpreter");
                }}
              >
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
          error={errors.program}
          hint="Tab indents; press Esc then Tab to move on."
        >
          {(p) => (
            <CodeEditor
              {...p}
              value={program}
              onChange={(v) => {
                setProgram(v);
                clearError("program");
              }}
              rows={16}
            />
          )}
        </Field>
        <div className="grid-2">
          <Field label="Arguments" error={errors.arguments} hint="One per line.">
            {(p) => (
              <textarea
                {...p}
                name="arguments"
                className="mono"
                rows={3}
                value={argumentsText}
                onChange={(e) => {
                  setArgumentsText(e.target.value);
                  clearError("arguments");
                }}
              />
            )}
          </Field>
          <Field label="Environment" error={errors.environment} hint="NAME=value, one per line.">
            {(p) => (
              <textarea
                {...p}
                name="environment"
                className="mono"
                rows={3}
                value={environmentText}
                onChange={(e) => {
                  setEnvironmentText(e.target.value);
                  clearError("environment");
                }}
              />
            )}
          </Field>
        </div>
        <div className="grid-3">
          <Field label="Timeout (seconds)" error={errors.timeout_seconds} hint="Empty: no limit.">
            {(p) => (
              <input
                {...p}
                name="timeout_seconds"
                inputMode="numeric"
                value={timeout}
                onChange={(e) => {
                  setTimeoutValue(e.target.value);
                  clearError("timeout_seconds");
                }}
              />
            )}
          </Field>
          <Field label="Log policy" error={errors.log_policy}>
            {(p) => (
              <select
                {...p}
                name="log_policy"
                value={logPolicy}
                onChange={(e) => {
                  setLogPolicy(e.target.value as LogPolicy);
                  clearError("log_policy");
                }}
              >
                <option value="live">Live: stream and keep every byte</option>
                <option value="total">Total: keep the output when the job ends</option>
                <option value="none">None: keep no output</option>
              </select>
            )}
          </Field>
          <Field
            label="Result patterns"
            error={errors.result_patterns}
            hint="Globs, one per line; !glob excludes; last match wins."
          >
            {(p) => (
              <textarea
                {...p}
                name="result_patterns"
                className="mono"
                rows={3}
                value={patternsText}
                onChange={(e) => {
                  setPatternsText(e.target.value);
                  clearError("result_patterns");
                }}
              />
            )}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={create.isPending}>
            {create.isPending ? "Submitting…" : "Submit job"}
          </button>
          <Link to="/jobs" className="btn ghost">
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
