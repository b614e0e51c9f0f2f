import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { $api, type Schemas } from "../../api/client";
import { mapApiErrors } from "../../api/errors";
import { CodeEditor } from "../../components/CodeEditor";
import { Field } from "../../components/Field";
import { FormErrors, FormFooter } from "../../components/FormFooter";
import { RouteErrorBoundary } from "../../components/RouteErrorBoundary";
import { parseEnvironment, parseLines } from "../../lib/format";
import { serverQueries } from "../servers/queries";
import { applicationInvalidation, applicationQueries } from "./queries";
import { ParameterForm, type ParameterSchema } from "./schemaForm";

type Application = Schemas["Application"];

interface Draft {
  name: string;
  title: string;
  description: string;
  interpreter: string;
  program: string;
  arguments: string;
  environment: string;
  parameters: string;
  result_patterns: string;
  servers: number[];
  timeout_seconds: string;
  enabled: boolean;
}

const EXAMPLE_SCHEMA = `{
  "type": "object",
  "properties": {
    "label": {"type": "string", "title": "Label"},
    "steps": {"type": "integer", "title": "Steps", "minimum": 1, "default": 10}
  },
  "required": ["label"]
}`;

const EMPTY: Draft = {
  name: "",
  title: "",
  description: "",
  interpreter: "",
  program: "import sys\nprint(sys.argv[1:])\n",
  arguments: "--label\n{label}\n--steps={steps}",
  environment: "",
  parameters: EXAMPLE_SCHEMA,
  result_patterns: "",
  servers: [],
  timeout_seconds: "",
  enabled: true,
};

function fromApplication(app: Application): Draft {
  return {
    name: app.name,
    title: app.title,
    description: app.description ?? "",
    interpreter: String(app.interpreter),
    program: app.program,
    arguments: (app.arguments ?? []).join("\n"),
    environment: Object.entries(app.environment ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    parameters: JSON.stringify(app.parameters ?? {}, null, 2),
    result_patterns: (app.result_patterns ?? []).join("\n"),
    servers: app.servers ?? [],
    timeout_seconds: app.timeout_seconds != null ? String(app.timeout_seconds) : "",
    enabled: app.enabled ?? true,
  };
}

function parseSchema(text: string): { schema: ParameterSchema | null; error: string | null } {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return { schema: null, error: "The parameters must be a JSON object." };
    }
    return { schema: value as ParameterSchema, error: null };
  } catch (e) {
    return { schema: null, error: `Not JSON: ${(e as Error).message}` };
  }
}

const FIELDS = [
  "name",
  "title",
  "description",
  "interpreter",
  "program",
  "arguments",
  "environment",
  "parameters",
  "result_patterns",
  "servers",
  "timeout_seconds",
] as const;

/** Staff write applications here, with the launch form previewed as they type. */
export function ApplicationEditorPage() {
  const { name } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useQuery({ ...applicationQueries.detail(name ?? ""), enabled: Boolean(name) });
  const servers = useQuery(serverQueries.servers());
  const interpreters = useQuery(serverQueries.interpreters());
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const filled = useRef(false);
  useEffect(() => {
    if (existing.data && !filled.current) {
      filled.current = true;
      setDraft(fromApplication(existing.data));
    }
  }, [existing.data]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const parsed = parseSchema(draft.parameters);
  const onError = (error: unknown) => {
    const mapped = mapApiErrors(error, FIELDS);
    setErrors(mapped.fields);
    setGeneral(mapped.general);
  };
  const onSuccess = (app: Application) => {
    void applicationInvalidation.all(queryClient);
    navigate(`/applications/${app.name}/launch`);
  };
  const create = $api.useMutation("post", "/api/applications/", { onSuccess, onError });
  const update = $api.useMutation("put", "/api/applications/{name}/", { onSuccess, onError });

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral([]);
    const env = parseEnvironment(draft.environment);
    if (env.error || parsed.error) {
      setErrors({
        ...(env.error ? { environment: env.error } : {}),
        ...(parsed.error ? { parameters: parsed.error } : {}),
      });
      return;
    }
    const body = {
      name: draft.name,
      title: draft.title,
      description: draft.description,
      interpreter: Number(draft.interpreter),
      program: draft.program,
      arguments: parseLines(draft.arguments),
      environment: env.value,
      parameters: parsed.schema,
      result_patterns: parseLines(draft.result_patterns),
      servers: draft.servers,
      timeout_seconds: draft.timeout_seconds.trim() === "" ? null : Number(draft.timeout_seconds),
      enabled: draft.enabled,
    };
    if (name) update.mutate({ params: { path: { name } }, body });
    else create.mutate({ body });
  };

  if (name && !existing.data) return <p className="page muted">Loading…</p>;
  return (
    <section className="page">
      <div className="page-head">
        <h1>{name ? `Edit ${name}` : "New application"}</h1>
      </div>
      <div className="editor-layout">
        <form className="form card" onSubmit={save} noValidate aria-label="Application">
          <FormErrors messages={general} />
          <div className="grid-2">
            <Field label="Name" error={errors.name} hint="A slug: letters, digits, - and _.">
              {(p) => (
                <input {...p} value={draft.name} onChange={(e) => set("name", e.target.value)} />
              )}
            </Field>
            <Field label="Title" error={errors.title}>
              {(p) => (
                <input {...p} value={draft.title} onChange={(e) => set("title", e.target.value)} />
              )}
            </Field>
          </div>
          <Field label="Description" error={errors.description} hint="Markdown.">
            {(p) => (
              <textarea
                {...p}
                rows={3}
                value={draft.description}
                onChange={(e) => set("description", e.target.value)}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field label="Interpreter" error={errors.interpreter}>
              {(p) => (
                <select
                  {...p}
                  value={draft.interpreter}
                  onChange={(e) => set("interpreter", e.target.value)}
                >
                  <option value="">Choose…</option>
                  {(interpreters.data?.results ?? []).map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Timeout (seconds)" error={errors.timeout_seconds} hint="Empty: no limit.">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={draft.timeout_seconds}
                  onChange={(e) => set("timeout_seconds", e.target.value)}
                />
              )}
            </Field>
          </div>
          <Field label="Program" error={errors.program}>
            {(p) => (
              <CodeEditor
                {...p}
                value={draft.program}
                onChange={(v: string) => set("program", v)}
                rows={10}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field
              label="Arguments"
              error={errors.arguments}
              hint="One per line; {name} is a parameter's value, {{ and }} are braces."
            >
              {(p) => (
                <textarea
                  {...p}
                  className="mono"
                  rows={4}
                  value={draft.arguments}
                  onChange={(e) => set("arguments", e.target.value)}
                />
              )}
            </Field>
            <Field label="Environment" error={errors.environment} hint="NAME=value, one per line.">
              {(p) => (
                <textarea
                  {...p}
                  className="mono"
                  rows={4}
                  value={draft.environment}
                  onChange={(e) => set("environment", e.target.value)}
                />
              )}
            </Field>
          </div>
          <Field
            label="Parameters (JSON Schema)"
            error={errors.parameters ?? parsed.error ?? undefined}
            hint='string, integer, number, boolean; enum, minimum, maximum, pattern, default; "format": "file" for an input file.'
          >
            {(p) => (
              <textarea
                {...p}
                className="mono"
                rows={12}
                value={draft.parameters}
                onChange={(e) => set("parameters", e.target.value)}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field
              label="Result patterns"
              error={errors.result_patterns}
              hint="Globs, one per line."
            >
              {(p) => (
                <textarea
                  {...p}
                  className="mono"
                  rows={2}
                  value={draft.result_patterns}
                  onChange={(e) => set("result_patterns", e.target.value)}
                />
              )}
            </Field>
            <fieldset className="field">
              <legend>Servers (none checked: any)</legend>
              {(servers.data?.results ?? []).map((s) => (
                <label key={s.id} className="log-option">
                  <input
                    type="checkbox"
                    checked={draft.servers.includes(s.id)}
                    onChange={(e) =>
                      set(
                        "servers",
                        e.target.checked
                          ? [...draft.servers, s.id]
                          : draft.servers.filter((x) => x !== s.id),
                      )
                    }
                  />
                  {s.name}
                </label>
              ))}
              {errors.servers && <small className="field-error">{errors.servers}</small>}
            </fieldset>
          </div>
          <label className="log-option">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => set("enabled", e.target.checked)}
            />
            Enabled (users see and launch it)
          </label>
          <FormFooter
            submit="Save"
            disabled={create.isPending || update.isPending}
            cancelTo="/applications"
          />
        </form>
        <aside className="card editor-preview" aria-label="Form preview">
          <h2>Preview</h2>
          {parsed.schema ? (
            <PreviewForm schema={parsed.schema} />
          ) : (
            <p className="muted">{parsed.error}</p>
          )}
        </aside>
      </div>
    </section>
  );
}

function PreviewForm({ schema }: { schema: ParameterSchema }) {
  // A schema mid-edit can be anything: the preview must never take the page down.
  return (
    <RouteErrorBoundary resetKey={JSON.stringify(schema)}>
      <ParameterForm schema={schema} />
    </RouteErrorBoundary>
  );
}
