// Map DRF error bodies onto form fields.
//
// DRF answers 400 with `{"field": ["msg", ...], "non_field_errors": [...]}`; nested
// serializers and list fields nest the same shape (`{"environment": {"A B": ["..."]}}`,
// `{"arguments": {"0": ["..."]}}`). Plain errors are `{"detail": "..."}`.

export type FieldErrors = Record<string, string>;

/**
 * A failed API call: the HTTP status and the parsed body (`status` 0 = no answer, i.e. the
 * network or the server is down). Every call through the typed client rejects with one.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(status === 0 ? "The server did not answer." : `HTTP ${status}`);
    this.name = "ApiError";
  }
}

export type ErrorKind = "not-found" | "forbidden" | "offline" | "server" | "unexpected";

/** What kind of failure an error is, for pages that explain it to people. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof ApiError) {
    if (error.status === 0) return "offline";
    if (error.status === 404) return "not-found";
    if (error.status === 401 || error.status === 403) return "forbidden";
    if (error.status >= 500) return "server";
    return "unexpected";
  }
  // A lazy route chunk that failed to load, or fetch() itself failing.
  if (
    error instanceof TypeError &&
    /fetch|dynamically imported module|import/i.test(error.message)
  ) {
    return "offline";
  }
  if (typeof navigator !== "undefined" && navigator.onLine === false) return "offline";
  return "unexpected";
}

export interface MappedErrors {
  /** Messages for fields the form shows, keyed by field name. */
  fields: FieldErrors;
  /** Everything else, for a banner at the top of the form. */
  general: string[];
}

function flatten(value: unknown, prefix = ""): string[] {
  if (value == null) return [];
  if (typeof value === "string") return [prefix ? `${prefix}: ${value}` : value];
  if (Array.isArray(value)) return value.flatMap((item) => flatten(item, prefix));
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
      flatten(item, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [String(value)];
}

export function mapApiErrors(error: unknown, knownFields: readonly string[]): MappedErrors {
  const result: MappedErrors = { fields: {}, general: [] };
  const body = error instanceof ApiError ? error.body : error;
  if (error instanceof ApiError && body == null && error.status >= 500) {
    result.general.push(`The server failed (HTTP ${error.status}). Try again later.`);
    return result;
  }
  if (body == null) {
    result.general.push("The server did not answer. Try again.");
    return result;
  }
  if (typeof body === "string" || Array.isArray(body)) {
    result.general.push(...flatten(body));
    return result;
  }
  if (typeof body !== "object") {
    result.general.push(String(body));
    return result;
  }
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (knownFields.includes(key)) {
      result.fields[key] = flatten(value).join(" ");
    } else if (key === "detail" || key === "non_field_errors") {
      result.general.push(...flatten(value));
    } else {
      result.general.push(...flatten(value, key));
    }
  }
  return result;
}

/** A short human message for any error an API call or mutation produced. */
export function errorMessage(error: unknown): string {
  if (error == null) return "";
  if (error instanceof ApiError) {
    return mapApiErrors(error, []).general.join(" ") || error.message;
  }
  if (error instanceof Error) return error.message;
  const mapped = mapApiErrors(error, []);
  return mapped.general.join(" ") || "Something went wrong.";
}
