// What the e2e specs share: the stack's settings from tests/e2e/run.py, signing in, the
// JSON API with the session's CSRF token, a pinned server with a key credential, waiting
// for a job, screenshots and the log viewer's rows.
//
// Specs run one after another against the same installation (run.py gives the ones that
// need an empty installation their own), so every server, interpreter and credential a
// spec creates carries a name no other spec uses.
import { readFileSync } from "node:fs";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.py`);
  return value;
};

export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "../../test-artifacts";

/** The private sshd run.py started: where jobs run. */
export const ssh = {
  get host() {
    return env("E2E_SSH_HOST");
  },
  get port() {
    return env("E2E_SSH_PORT");
  },
  get user() {
    return env("E2E_SSH_USER");
  },
  get fingerprint() {
    return env("E2E_SSH_FINGERPRINT");
  },
  get privateKey() {
    return readFileSync(env("E2E_SSH_KEY_FILE"), "utf8");
  },
};

export type Paged<T> = { results: T[]; count?: number };
export type Job = {
  id: string;
  status: string;
  exit_code: number | null;
  error: string;
  progress: number | null;
};

type Viewport = { width: number; height: number };

/** A new browser context signed in as the admin (or the plain user `alice`), on /jobs. */
export async function signIn(
  browser: Browser,
  options: { viewport?: Viewport; user?: "admin" | "alice"; permissions?: string[] } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
  if (options.permissions) await context.grantPermissions(options.permissions);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
  await fillSignIn(page, options.user ?? "admin");
  // Generous: a loaded 2-core machine (several test suites at once) signs in slowly.
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible({ timeout: 60_000 });
  return { context, page };
}

/** A signed-in admin for a serial spec: its browser context, page and API. */
export type Session = { context: BrowserContext; page: Page; api: Api };

/**
 * Signs the admin in before the spec's tests (in `beforeAll`), hands the session to
 * `ready` for the spec's own setup, reloads the page, and closes it after them.
 */
export function useSession(ready?: (session: Session) => Promise<void>) {
  let context: BrowserContext | undefined;
  test.beforeAll(async ({ browser }) => {
    const signedIn = await signIn(browser);
    context = signedIn.context;
    await ready?.({ ...signedIn, api: new Api(signedIn.page) });
    // The SPA read its lists (servers, credentials) before that setup: read them again.
    await signedIn.page.reload();
  });
  test.afterAll(async () => {
    await context?.close();
  });
}

/** Submits a job through the API on `target`. */
export function submitJob(
  api: Api,
  target: JobTarget,
  title: string,
  program: string,
  extra: Record<string, unknown> = {},
): Promise<Job> {
  return api.post<Job>("/api/jobs/", { title, program, ...target, ...extra });
}

/** Fills in and sends the sign-in form (the caller checks where it lands). */
export async function fillSignIn(page: Page, user: "admin" | "alice" = "admin") {
  const [name, password] =
    user === "admin"
      ? [env("E2E_ADMIN_USER"), env("E2E_ADMIN_PASSWORD")]
      : [env("E2E_USER"), env("E2E_USER_PASSWORD")];
  if (!page.url().includes("/signin")) await page.goto("/signin");
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The JSON API as the page's signed-in user (session cookie and CSRF token). */
export class Api {
  constructor(private readonly page: Page) {}

  async csrfHeaders(): Promise<Record<string, string>> {
    const cookies = await this.page.context().cookies();
    return {
      "X-CSRFToken": cookies.find((c) => c.name === "csrftoken")?.value ?? "",
      Referer: `${env("E2E_BASE_URL")}/`,
    };
  }

  async fetch<T>(method: string, path: string, data?: unknown): Promise<T> {
    const response = await this.page.request.fetch(path, {
      method,
      ...(data !== undefined ? { data } : {}),
      headers: await this.csrfHeaders(),
    });
    expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(
      true,
    );
    return (response.status() === 204 ? null : await response.json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.fetch<T>("GET", path);
  }

  post<T>(path: string, data?: unknown): Promise<T> {
    return this.fetch<T>("POST", path, data);
  }

  patch<T>(path: string, data: unknown): Promise<T> {
    return this.fetch<T>("PATCH", path, data);
  }

  /** Polls a job until its status is one of `statuses`. */
  async waitForStatus(id: string, statuses: string[], timeoutMs = 120_000): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get<Job>(`/api/jobs/${id}/`);
      if (statuses.includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
      await this.page.waitForTimeout(500);
    }
  }

  /** Polls a job until it is no longer queued, starting or running. */
  waitForEnd(id: string, timeoutMs = 120_000): Promise<Job> {
    return this.waitForStatus(id, ENDED, timeoutMs);
  }
}

export const ENDED = ["succeeded", "failed", "cancelled", "timed_out", "lost"];

/** Where a job runs: ids for POST /api/jobs/. */
export type JobTarget = { server: number; credential: number; interpreter: number };

/**
 * An interpreter, a server on the private sshd with its host key pinned, and a key
 * credential for it, all through the API, named after `prefix` ("<prefix>-python3",
 * "<prefix>-sshd", "<prefix> key"). The interpreter is /usr/bin/python3 -u, spelled
 * unlike the `/usr/bin/env python3 -u` that servers.spec.ts adds in the browser.
 */
export async function setUpServer(api: Api, prefix: string): Promise<JobTarget> {
  const interpreter = await api.post<{ id: number }>("/api/interpreters/", {
    name: `${prefix}-python3`,
    path: "/usr/bin/python3",
    arguments: ["-u"],
  });
  const server = await api.post<{ id: number }>("/api/servers/", {
    name: `${prefix}-sshd`,
    hostname: ssh.host,
    port: Number(ssh.port),
    interpreters: [interpreter.id],
  });
  const scanned = await api.post<{ key: string; fingerprint: string }>(
    `/api/servers/${server.id}/scan-host-key/`,
  );
  expect(scanned.fingerprint).toBe(ssh.fingerprint);
  await api.patch(`/api/servers/${server.id}/`, { host_key: scanned.key });
  const credential = await api.post<{ id: number }>("/api/credentials/", {
    server: server.id,
    name: `${prefix} key`,
    username: ssh.user,
    kind: "key",
    private_key: ssh.privateKey,
  });
  return { server: server.id, credential: credential.id, interpreter: interpreter.id };
}

/** A full-page screenshot in test-artifacts/, scrolled to the top (or the viewport only). */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  const fullPage = options.fullPage ?? true;
  // Let fonts, the terminal and transitions settle; the sticky header belongs at the top.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage });
}

/** A job that counts to twenty on stdout with one stderr line, ANSI colour, a `\r`
 * progress bar, and three files (two matching `*.txt`/`*.png`). Takes GREETING and argv. */
export const COUNT_TO_TWENTY = [
  "import os, sys, time",
  "print(os.environ['GREETING'], 'from', sys.argv[1:])",
  "print('\\x1b[32mgreen\\x1b[0m and plain')",
  "print('to stderr', file=sys.stderr)",
  "for p in (10, 50, 100):",
  "    print(f'progress {p:3d}%', end='\\r', flush=True)",
  "print('progress done')",
  "for i in range(1, 21):",
  "    print(f'line {i:04d}')",
  "    time.sleep(0.25)",
  "open('result.txt', 'w').write('forty-two\\n')",
  "open('skip.log', 'w').write('no')",
  "import base64",
  "open('dot.png', 'wb').write(base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))",
].join("\n");

export const logView = (page: Page) => page.getByTestId("log-view");
export const logState = (page: Page) => page.locator(".log-state");

/** Log lines rendered on screen now (the view is virtualized: what is in the DOM). */
export async function shownLines(page: Page): Promise<string[]> {
  return page.locator(".log-row .log-text").allTextContents();
}

/**
 * Every line of the loaded window, in line-number order: scrolls the log from top to
 * bottom and reads the rows as they render. Returns [line number, text] pairs.
 */
export async function loadedLines(page: Page): Promise<[number, string][]> {
  const seen = new Map<number, string>();
  const view = logView(page);
  await view.evaluate((el) => {
    el.scrollTop = 0;
  });
  for (let step = 0; step < 500; step++) {
    await page.waitForTimeout(30);
    const rows = await view
      .locator(".log-row")
      .evaluateAll((els) =>
        els.map((el) => [
          Number(el.getAttribute("data-line")),
          el.querySelector(".log-text")?.textContent ?? "",
        ]),
      );
    for (const [n, text] of rows) seen.set(n as number, text as string);
    const done = await view.evaluate((el) => {
      const bottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += el.clientHeight * 0.8;
      return bottom;
    });
    if (done) break;
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]);
}
