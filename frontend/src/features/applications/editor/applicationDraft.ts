import type { Schemas } from "../../../api/client";
import { parseEnvironment, parseLines } from "../../../lib/format";
import type { ParameterSchema } from "../schemaForm";

export type Application = Schemas["Application"];

/** The editor's values, as the inputs hold them (text). */
export interface Draft {
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

export const EMPTY: Draft = {
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

export function fromApplication(app: Application): Draft {
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

export function parseSchema(text: string): {
  schema: ParameterSchema | null;
  error: string | null;
} {
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

/** The fields the API may name in its errors. */
export const FIELDS = [
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

/**
 * The PUT/POST body of a draft, or the errors that keep it from being sent (the
 * environment and the parameters' JSON are checked here, before the API sees them).
 */
export function draftBody(draft: Draft) {
  const env = parseEnvironment(draft.environment);
  const parsed = parseSchema(draft.parameters);
  if (env.error || parsed.error) {
    return {
      errors: {
        ...(env.error ? { environment: env.error } : {}),
        ...(parsed.error ? { parameters: parsed.error } : {}),
      },
    };
  }
  return {
    body: {
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
    },
  };
}
