import { afterEach, describe, expect, it, vi } from "vitest";
import { api, onUnauthorized, readCookie } from "./client";

describe("api client", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    onUnauthorized(null);
  });

  it("reads cookies", () => {
    expect(readCookie("csrftoken", "a=1; csrftoken=xyz%3D; b=2")).toBe("xyz=");
    expect(readCookie("missing", "a=1")).toBeNull();
  });

  it("sends the CSRF token on unsafe methods only", async () => {
    // biome-ignore lint/suspicious/noDocumentCookie: jsdom: set the cookie Django would set
    document.cookie = "csrftoken=abc";
    const seen: Array<[string, string | null]> = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (r: Request) => {
        seen.push([r.method, r.headers.get("X-CSRFToken")]);
        return new Response("{}", { headers: { "Content-Type": "application/json" } });
      }),
    );
    await api.GET("/api/servers/").catch(() => undefined);
    await api
      .POST("/api/jobs/{id}/cancel/", { params: { path: { id: "x" } } })
      .catch(() => undefined);
    expect(seen).toEqual([
      ["GET", null],
      ["POST", "abc"],
    ]);
  });

  it("fetches the CSRF cookie before a write when the page has none yet", async () => {
    // biome-ignore lint/suspicious/noDocumentCookie: jsdom: no cookie yet
    document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
    const seen: Array<[string, string, string | null]> = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: Request | string) => {
        if (typeof input === "string") {
          // The cookie Django sets on `GET /api/auth/me/`, even when it answers 401.
          // biome-ignore lint/suspicious/noDocumentCookie: jsdom: set the cookie Django would set
          document.cookie = "csrftoken=fresh";
          seen.push(["GET", input, null]);
          return new Response("{}", { status: 401 });
        }
        seen.push([input.method, new URL(input.url).pathname, input.headers.get("X-CSRFToken")]);
        return new Response("{}", { headers: { "Content-Type": "application/json" } });
      }),
    );
    await api.POST("/api/auth/login/", { body: { username: "a", password: "b" } });
    expect(seen).toEqual([
      ["GET", "/api/auth/me/", null],
      ["POST", "/api/auth/login/", "fresh"],
    ]);
  });

  it("sends every 401 to the central handler, but not the sign-in calls", async () => {
    const handler = vi.fn();
    onUnauthorized(handler);
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({ detail: "Authentication credentials were not provided." }),
            {
              status: 401,
              headers: { "Content-Type": "application/json" },
            },
          ),
      ),
    );
    await api.GET("/api/auth/me/").catch(() => undefined);
    expect(handler).not.toHaveBeenCalled();
    await api.GET("/api/jobs/").catch(() => undefined);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("tells a not-signed-in 403 from a forbidden one", async () => {
    const handler = vi.fn();
    onUnauthorized(handler);
    const answer = (detail: string) =>
      new Response(JSON.stringify({ detail }), {
        status: 403,
        headers: { "Content-Type": "application/json" },
      });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => answer("You do not have permission to perform this action.")),
    );
    await api.GET("/api/jobs/").catch(() => undefined);
    expect(handler).not.toHaveBeenCalled();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => answer("Authentication credentials were not provided.")),
    );
    await api.GET("/api/jobs/").catch(() => undefined);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
