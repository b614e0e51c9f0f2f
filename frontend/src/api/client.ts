// The one typed API client. Every REST call in the SPA goes through `api` (openapi-fetch)
// or `$api` (its TanStack Query bindings); both share the middleware below.
import createFetchClient, { type Middleware } from "openapi-fetch";
import createQueryClient from "openapi-react-query";
import { ApiError } from "./errors";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Job = Schemas["Job"];
export type JobSummary = Schemas["JobSummary"];
export type JobStatus = Schemas["JobStatusEnum"];
export type Server = Schemas["Server"];
export type Credential = Schemas["Credential"];
export type Interpreter = Schemas["Interpreter"];
export type User = Schemas["User"];
export type Result = Schemas["Result"];

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

let unauthorizedHandler: (() => void) | null = null;

/** Called (once per response) when the API says the session is gone. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

const PUBLIC_PATHS = ["/api/auth/login/", "/api/auth/me/"];

export const sessionMiddleware: Middleware = {
  async onRequest({ request }) {
    // Django's session auth wants the CSRF cookie echoed back on unsafe methods. A write
    // sent before the first `GET /api/auth/me/` has answered (a fast sign-in on a fresh
    // page) would go without it: fetch the cookie first.
    if (UNSAFE.has(request.method)) {
      if (readCookie("csrftoken") === null) {
        await fetch("/api/auth/me/", { credentials: "same-origin" }).catch(() => undefined);
      }
      const token = readCookie("csrftoken");
      if (token) request.headers.set("X-CSRFToken", token);
    }
    return request;
  },
  async onResponse({ request, response }) {
    const path = new URL(request.url, window.location.origin).pathname;
    if (PUBLIC_PATHS.includes(path)) return response;
    if (
      response.status === 401 ||
      (response.status === 403 && (await isNotAuthenticated(response)))
    ) {
      unauthorizedHandler?.();
    }
    return response;
  },
};

// DRF answers 403 (not 401) for a missing session when session auth comes first; tell a
// "not signed in" 403 from a "not allowed" one by its message.
async function isNotAuthenticated(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { detail?: unknown };
    return typeof body.detail === "string" && /credentials were not provided/i.test(body.detail);
  } catch {
    return false;
  }
}

/** Turns every failed call into a rejected `ApiError` (status + body), so queries and
 * mutations can tell "not found" from "not allowed", "offline" and "server error". */
export const errorMiddleware: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return response;
    let body: unknown = null;
    try {
      body = await response.clone().json();
    } catch {
      body = null;
    }
    throw new ApiError(response.status, body);
  },
  onError({ error }) {
    if (error instanceof DOMException && error.name === "AbortError") return error;
    return new ApiError(0, null);
  },
};

// An absolute base: `new Request("/api/...")` only resolves relative URLs in browsers.
export const api = createFetchClient<paths>({
  baseUrl: typeof window === "undefined" ? "" : window.location.origin,
  credentials: "same-origin",
  // Looked up per call, so tests can stub `fetch`.
  fetch: (request: Request) => globalThis.fetch(request),
});
// Order: the session middleware sees each response first (401 handling), then errors throw.
api.use(errorMiddleware, sessionMiddleware);

export const $api = createQueryClient(api);

/** Absolute same-origin URLs for things the browser downloads directly. */
export const urls = {
  logText: (jobId: string, stream: "all" | "stdout" | "stderr" = "all") =>
    `/api/jobs/${jobId}/log.txt?stream=${stream}`,
  docs: "/api/docs/",
  admin: "/admin/",
};
