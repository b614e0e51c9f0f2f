// The browser journey of a new DRS user, against the real backend, workers and sshd.
import { readFileSync } from "node:fs";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.py`);
  return value;
};
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "../../test-artifacts";
const ADMIN = env("E2E_ADMIN_USER");
const PASSWORD = env("E2E_ADMIN_PASSWORD");
const SSH_HOST = env("E2E_SSH_HOST");
const SSH_PORT = env("E2E_SSH_PORT");
const SSH_USER = env("E2E_SSH_USER");
const SSH_FINGERPRINT = env("E2E_SSH_FINGERPRINT");
const SSH_KEY = readFileSync(env("E2E_SSH_KEY_FILE"), "utf8");

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;

async function shot(name: string, target: Page = page) {
  // Let fonts, the terminal and transitions settle; the sticky header belongs at the top.
  await target.evaluate(() => window.scrollTo(0, 0));
  await target.waitForTimeout(150);
  await target.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

async function csrf(): Promise<string> {
  const cookies = await context.cookies();
  return cookies.find((c) => c.name === "csrftoken")?.value ?? "";
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(path);
  expect(response.ok(), `${path}: ${response.status()}`).toBeTruthy();
  return (await response.json()) as T;
}

async function apiPost<T>(path: string, data: unknown): Promise<T> {
  const response = await page.request.post(path, {
    data,
    headers: { "X-CSRFToken": await csrf(), Referer: `${env("E2E_BASE_URL")}/` },
  });
  expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

type Page_<T> = { results: T[] };
type Job = { id: string; status: string; exit_code: number | null };

async function jobInputs() {
  const servers = await apiGet<Page_<{ id: number; name: string }>>("/api/servers/");
  const creds = await apiGet<Page_<{ id: number; server: number }>>("/api/credentials/");
  const interps = await apiGet<Page_<{ id: number }>>("/api/interpreters/");
  const server = servers.results.find((s) => s.name === "sshd");
  if (!server) throw new Error("server sshd missing");
  const credential = creds.results.find((c) => c.server === server.id);
  return { server: server.id, credential: credential?.id, interpreter: interps.results[0]?.id };
}

async function submitViaApi(title: string, program: string, extra: Record<string, unknown> = {}) {
  return apiPost<Job>("/api/jobs/", { title, program, ...(await jobInputs()), ...extra });
}

async function waitForStatus(id: string, statuses: string[], timeoutMs = 120_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await apiGet<Job>(`/api/jobs/${id}/`);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await page.waitForTimeout(500);
  }
}

/** Lines in the terminal buffer of the log viewer on screen. */
async function terminalLines(): Promise<string[]> {
  return page.evaluate(() => window.__drsLog?.lines() ?? []);
}

async function logStats() {
  return page.evaluate(() => window.__drsLog?.stats() ?? null);
}

declare global {
  interface Window {
    __drsLog?: {
      lines: () => string[];
      stats: () => {
        chunks: number;
        duplicates: number;
        reconnects: number;
        lastSeq: number;
        state: string;
        ended: { status: string; exit_code: number | null } | null;
        written: number;
        firstWriteMs: number | null;
        idle: boolean;
      };
      drop: () => void;
      viewport: () => { viewportY: number; baseY: number };
    };
  }
}

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
});

test.afterAll(async () => {
  await context.close();
});

test("sign in", async () => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in to DRS" })).toBeVisible();
  await shot("01-sign-in");
  await page.getByLabel("Username").fill(ADMIN);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText(/wrong username or password/i);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "API docs" })).toHaveAttribute("href", "/api/docs/");
  await shot("02-jobs-empty");
});

test("staff adds an interpreter and a server, and pins its host key", async () => {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Servers" })
    .click();
  await expect(page.getByRole("heading", { name: "Servers" })).toBeVisible();

  const interp = page.getByRole("form", { name: "Add interpreter" });
  await interp.getByLabel("Name", { exact: true }).fill("python3");
  await interp.getByLabel("Path").fill("/usr/bin/env");
  await interp.getByLabel("Arguments").fill("python3 -u");
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  await expect(page.getByText("/usr/bin/env python3 -u")).toBeVisible();

  await page.getByRole("button", { name: "Add server" }).click();
  const form = page.getByRole("form", { name: "Add server" });
  await form.getByLabel("Name", { exact: true }).fill("sshd");
  await form.getByLabel("Hostname").fill(SSH_HOST);
  await form.getByLabel("Port").fill(SSH_PORT);
  await form.getByLabel("python3").check();
  await form.getByRole("button", { name: "Add server" }).click();

  const card = page.getByRole("article", { name: "sshd" });
  await expect(card).toContainText("Not pinned");
  await card.getByRole("button", { name: "Scan host key" }).click();
  await expect(card.getByTestId("scanned-fingerprint")).toHaveText(SSH_FINGERPRINT);
  await shot("03-servers-scan-host-key");
  await card.getByRole("button", { name: "Approve and pin" }).click();
  await expect(card.getByTestId("pinned-fingerprint")).toHaveText(SSH_FINGERPRINT);
  await expect(card).not.toContainText("Not pinned");
});

test("add a credential and check the connection", async () => {
  await page.getByRole("link", { name: "Credentials" }).click();
  await page.getByRole("button", { name: "Add credential" }).click();
  const form = page.getByRole("form", { name: "Add credential" });
  await form.getByLabel("Server").selectOption({ label: "sshd" });
  await form.getByLabel("Username").fill(SSH_USER);
  await form.getByLabel("Name", { exact: true }).fill("e2e key");
  // A wrong key first: the API's field error shows next to the field.
  await form.getByRole("textbox", { name: "Private key" }).fill("not a key");
  await form.getByRole("button", { name: "Save credential" }).click();
  await expect(form.locator(".field.has-error")).toContainText("Private key");
  await form.getByRole("textbox", { name: "Private key" }).fill(SSH_KEY);
  await form.getByRole("button", { name: "Save credential" }).click();
  await expect(page.getByRole("cell", { name: "e2e key", exact: true })).toBeVisible();
  await shot("04-credentials");

  await page.getByRole("link", { name: "Servers" }).click();
  const card = page.getByRole("article", { name: "sshd" });
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("check-result")).toContainText(/Connected in \d+ ms/);
  await shot("05-servers");
});

test("generate and deploy a key, then delete it with removal from the server", async () => {
  const user = env("E2E_SSH_PASSWORD_USER");
  const authorizedKeys = `${env("E2E_SSH_PASSWORD_USER_HOME")}/.ssh/authorized_keys`;
  await page.getByRole("link", { name: "Credentials" }).click();
  await page.getByRole("button", { name: "Generate and deploy a key" }).click();
  const form = page.getByRole("form", { name: "Generate and deploy a key" });
  await form.getByLabel("Server").selectOption({ label: "sshd" });
  await form.getByLabel("Username").fill(user);
  await form.getByLabel("Name", { exact: true }).fill("generated");
  await form.getByLabel("One-time password").fill(env("E2E_SSH_PASSWORD"));
  await form.getByRole("button", { name: "Generate and deploy" }).click();
  const installed = page.locator(".pubkey-block");
  await expect(installed).toContainText("ssh-ed25519 ");
  const publicKey = ((await installed.textContent()) ?? "").trim();
  const keyBody = publicKey.split(" ")[1] as string;
  expect(readFileSync(authorizedKeys, "utf8")).toContain(keyBody);
  await shot("04b-credentials-generated");
  await page.getByRole("button", { name: "Done" }).click();

  await page.getByRole("button", { name: "Delete generated" }).click();
  await expect(page.getByLabel("Also remove its public key from the server")).toBeChecked();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByRole("cell", { name: "generated", exact: true })).toHaveCount(0);
  expect(readFileSync(authorizedKeys, "utf8")).not.toContain(keyBody);
});

test("submit a job, see its lines live, succeeded with exit 0, download a result", async () => {
  await page.getByRole("link", { name: "New job" }).click();
  const form = page.getByRole("form", { name: "New job" });
  await form.getByLabel("Title").fill("count to twenty");
  await form.getByLabel("Server").selectOption({ label: "sshd" });
  await expect(form.getByLabel("Credential")).not.toHaveValue("");
  // Bad environment line: the form says so next to the field, nothing is submitted.
  await form.getByLabel("Environment").fill("GREETING=hello\nnot a pair");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(form.locator(".field.has-error")).toContainText("Line 2");
  await form.getByLabel("Environment").fill("GREETING=hello");
  await form
    .getByLabel("Program")
    .fill(
      [
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
      ].join("\n"),
    );
  await form.getByLabel("Arguments").fill("alpha\nbeta gamma");
  await form.getByLabel("Result patterns").fill("*.txt");
  await shot("06-new-job");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop() as string;

  // Lines appear while the job still runs.
  await expect
    .poll(async () => (await terminalLines()).join("\n"), { timeout: 60_000 })
    .toContain("line 0003");
  expect((await apiGet<Job>(`/api/jobs/${id}/`)).status).toBe("running");
  await expect(page.getByTestId("job-status")).toHaveText("running");
  await shot("07-job-running");

  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("job-exit-code")).toHaveText("0");
  const lines = await terminalLines();
  expect(lines).toContain("hello from ['alpha', 'beta gamma']");
  expect(lines).toContain("green and plain");
  expect(lines).toContain("to stderr");
  // `\r` redraws the line like a terminal: only the final state of the progress bar stays.
  expect(lines).toContain("progress done");
  expect(lines.join("\n")).not.toContain("progress  10%");
  // stderr is tinted red (palette colour 1), program colours pass through (green = 2).
  await expect(page.locator(".xterm-rows span.xterm-fg-1", { hasText: "to stderr" })).toBeVisible();
  await expect(page.locator(".xterm-rows span.xterm-fg-2", { hasText: "green" })).toBeVisible();
  // Keyboard: Tab walks through the log's controls and out of the terminal again.
  await page.getByLabel("Search the log").focus();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    if (await page.getByText("Program and inputs").evaluate((el) => el === document.activeElement))
      break;
  }
  await expect(page.getByText("Program and inputs")).toBeFocused();
  expect(lines.filter((l) => l.startsWith("line "))).toEqual(
    Array.from({ length: 20 }, (_, i) => `line ${String(i + 1).padStart(4, "0")}`),
  );

  await expect(page.getByRole("cell", { name: "result.txt", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "skip.log", exact: true })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download result.txt" }).click(),
  ]);
  const path = await download.path();
  expect(readFileSync(path, "utf8")).toBe("forty-two\n");
  await shot("08-job-succeeded");
});

test("the jobs list updates live", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.locator(".live-dot.open")).toBeVisible();
  const job = await submitViaApi("short and live", "import time\ntime.sleep(2)\nprint('ok')");
  const row = page.locator(`tr[data-job-id="${job.id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator(".badge")).toHaveText("running", { timeout: 60_000 });
  await expect(row.locator(".badge")).toHaveText("succeeded", { timeout: 60_000 });

  await page.getByLabel("Status").selectOption("succeeded");
  await expect(row).toBeVisible();
  await page.getByLabel("Search").fill("no such title");
  await expect(page.getByText("No jobs match these filters.")).toBeVisible();
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Status").selectOption("");
  await expect(row).toBeVisible();
  await shot("09-jobs-list");
});

test("a failing job shows its exit code and error; rerun submits a new one", async () => {
  const job = await submitViaApi("fails", "import sys\nprint('about to fail')\nsys.exit(3)\n");
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("job-status")).toHaveText("failed", { timeout: 60_000 });
  await expect(page.getByTestId("job-exit-code")).toHaveText("3");
  const error = (await apiGet<{ error: string }>(`/api/jobs/${job.id}/`)).error;
  if (error) await expect(page.getByText(error)).toBeVisible();
  await page.getByRole("button", { name: "Rerun" }).click();
  await expect(page).not.toHaveURL(new RegExp(job.id));
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("link", { name: job.id.slice(0, 8) })).toBeVisible(); // "Rerun of"
  await expect(page.getByTestId("job-status")).toHaveText("failed", { timeout: 60_000 });
  await shot("10b-job-failed-rerun");
});

test("cancel a long job", async () => {
  const job = await submitViaApi(
    "sleepy",
    "import time\nprint('going to sleep', flush=True)\ntime.sleep(600)\nprint('woke up')",
  );
  await page.goto(`/jobs/${job.id}`);
  await expect
    .poll(async () => (await terminalLines()).join("\n"), { timeout: 60_000 })
    .toContain("going to sleep");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("cancelled", { timeout: 60_000 });
  expect((await terminalLines()).join("\n")).not.toContain("woke up");
  await shot("10-job-cancelled");
});

test("a dropped websocket resumes with no gap and no repeat", async () => {
  const total = 400;
  const job = await submitViaApi(
    "numbered",
    `import time\nfor i in range(1, ${total + 1}):\n    print(f"n={i:05d}", flush=True)\n    time.sleep(0.02)\n`,
  );
  await page.goto(`/jobs/${job.id}`);
  let drops = 0;
  for (const threshold of [40, 120, 200, 300]) {
    await expect
      .poll(async () => (await logStats())?.lastSeq ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await terminalLines()).filter((l) => l.startsWith("n=")).length, {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(threshold);
    const stats = await logStats();
    if (stats?.ended) break;
    await page.evaluate(() => window.__drsLog?.drop());
    drops++;
  }
  expect(drops).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect.poll(async () => (await logStats())?.idle, { timeout: 10_000 }).toBe(true);
  const numbers = (await terminalLines())
    .filter((l) => l.startsWith("n="))
    .map((l) => Number(l.slice(2)));
  expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const stats = await logStats();
  expect(stats?.reconnects).toBeGreaterThanOrEqual(drops);
  console.log(
    `[e2e] ws drops: ${drops}, reconnects: ${stats?.reconnects}, duplicates dropped: ${stats?.duplicates}`,
  );
});

test("the log follows the tail unless the reader scrolls up", async () => {
  const job = await submitViaApi(
    "scrolling",
    "import time\nfor i in range(1, 301):\n    print(f'tick {i}', flush=True)\n    time.sleep(0.03)\n",
  );
  await page.goto(`/jobs/${job.id}`);
  const viewport = () =>
    page.evaluate(() => window.__drsLog?.viewport() ?? { viewportY: 0, baseY: 0 });
  await expect.poll(async () => (await viewport()).baseY, { timeout: 60_000 }).toBeGreaterThan(60);
  // Following: the view sits at the bottom.
  expect((await viewport()).viewportY).toBe((await viewport()).baseY);
  await page.getByTestId("log-terminal").hover();
  await page.mouse.wheel(0, -600);
  const follow = page.getByRole("button", { name: "Follow output" });
  await expect(follow).toBeVisible();
  const held = (await viewport()).viewportY;
  await expect.poll(async () => (await viewport()).baseY).toBeGreaterThan(held + 40);
  expect((await viewport()).viewportY).toBe(held); // new lines did not yank the view
  await follow.click();
  await expect(follow).toBeHidden();
  await expect
    .poll(async () => {
      const v = await viewport();
      return v.viewportY === v.baseY;
    })
    .toBe(true);
});

test("open a job with 1,000,000 lines", async () => {
  const job = await submitViaApi(
    "a million lines",
    "import sys\nw = sys.stdout.write\nfor i in range(1, 1000001):\n    w(f'row {i:07d} \\x1b[36m' + 'x' * 20 + '\\x1b[0m\\n')\n",
  );
  const done = await waitForStatus(job.id, ["succeeded", "failed", "lost"], 150_000);
  expect(done.status).toBe("succeeded");

  await page.goto("/jobs");
  // Measure main-thread stalls while the log loads: the page must stay responsive.
  const t0 = Date.now();
  await page.getByRole("link", { name: "a million lines" }).click();
  await page.evaluate(() => {
    const w = window as unknown as { __gaps: number[] };
    w.__gaps = [];
    let last = performance.now();
    const tick = (now: number) => {
      w.__gaps.push(now - last);
      last = now;
      if (w.__gaps.length < 100000) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await expect
    .poll(async () => (await logStats())?.firstWriteMs ?? null, { timeout: 10_000 })
    .not.toBeNull();
  const first = (await logStats())?.firstWriteMs ?? -1;
  await expect
    .poll(
      async () => {
        const s = await logStats();
        return Boolean(s?.ended && s.idle);
      },
      { timeout: 120_000 },
    )
    .toBe(true);
  const allMs = Date.now() - t0;
  const stats = await logStats();
  const gaps = await page.evaluate(() => (window as unknown as { __gaps: number[] }).__gaps);
  const sorted = [...gaps].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  const worst = sorted[sorted.length - 1] ?? 0;
  const lines = await terminalLines();
  console.log(
    `[e2e] 1M lines: first line after ${first.toFixed(0)} ms, all ${stats?.written} lines in ${allMs} ms, ` +
      `frame gap p95 ${p95.toFixed(0)} ms, worst ${worst.toFixed(0)} ms, terminal buffer ${lines.length} lines`,
  );
  expect(first).toBeLessThan(1000);
  expect(stats?.written).toBe(1_000_000);
  expect(lines[lines.length - 1]).toBe(`row 1000000 ${"x".repeat(20)}`);
  expect(lines.length).toBeLessThan(6000);
  expect(worst).toBeLessThan(1000);
  await expect(page.getByText(/Showing the last 5,000 lines/)).toBeVisible();
  // The input box still answers while/after loading.
  await page.getByLabel("Search the log").fill("row 0999990");
  await page.getByLabel("Search the log").press("Enter");
  await shot("11-job-million-lines");

  const full = await page.request.get(`/api/jobs/${job.id}/log.txt?stream=all`);
  expect(full.status()).toBe(200);
  const body = await full.body();
  let newlines = 0;
  for (const byte of body) if (byte === 10) newlines++;
  expect(newlines).toBe(1_000_000);
});

test("screenshots: dark theme, phone width, API docs", async () => {
  await page.goto("/jobs");
  await page.getByRole("button", { name: /Switch to dark theme/ }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe("rgb(13, 15, 17)");
  await shot("12-jobs-dark");
  await page.getByRole("link", { name: "count to twenty" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("succeeded");
  await expect.poll(async () => (await logStats())?.idle).toBe(true);
  await expect(page.locator(".log-state")).toHaveText("complete");
  await shot("13-job-detail-dark");
  await page.getByRole("button", { name: /Switch to light theme/ }).click();
  expect(await background()).toBe("rgb(246, 246, 243)");

  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto("/jobs");
  await expect(phone.getByRole("heading", { name: "Jobs" })).toBeVisible();
  const overflow = await phone.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await shot("14-phone-jobs", phone);
  await phone.getByRole("link", { name: "count to twenty" }).click();
  await expect(phone.getByTestId("job-status")).toHaveText("succeeded");
  await expect.poll(() => phone.evaluate(() => window.__drsLog?.stats().ended != null)).toBe(true);
  await expect(phone.locator(".log-state")).toHaveText("complete");
  await shot("15-phone-job-detail", phone);
  await phone.goto("/jobs/new");
  await shot("16-phone-new-job", phone);
  await phone.close();

  // The docs page is served (the SPA links to it). Swagger UI itself loads from a CDN
  // unless the backend ships drf-spectacular-sidecar, so only screenshot it if it rendered.
  const docs = await page.goto("/api/docs/");
  expect(docs?.status()).toBe(200);
  const rendered = await page
    .locator(".swagger-ui .info")
    .waitFor({ timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (rendered) await shot("17-api-docs");
  else
    console.log("[e2e] /api/docs/ answered 200 but Swagger UI did not render (CDN unreachable?)");
  const schema = await page.request.get("/api/schema/");
  expect(schema.status()).toBe(200);
});

test("a non-staff user sees only their own jobs and cannot edit servers", async ({ browser }) => {
  const other = await browser.newContext();
  const alice = await other.newPage();
  await alice.goto("/signin");
  await alice.getByLabel("Username").fill(env("E2E_USER"));
  await alice.getByLabel("Password").fill(env("E2E_USER_PASSWORD"));
  await alice.getByRole("button", { name: "Sign in" }).click();
  await expect(alice.getByText("No jobs yet.")).toBeVisible();
  await alice.getByRole("link", { name: "Servers" }).click();
  const card = alice.getByRole("article", { name: "sshd" });
  await expect(card).toBeVisible();
  await expect(card.getByRole("button", { name: "Check connection" })).toBeVisible();
  await expect(alice.getByRole("button", { name: "Add server" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Scan host key" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await shot("18-servers-non-staff", alice);
  // Someone else's job is not found, not forbidden.
  const jobs = await apiGet<Page_<{ id: string }>>("/api/jobs/");
  await alice.goto(`/jobs/${jobs.results[0]?.id}`);
  await expect(alice.getByRole("heading", { name: "Job not found" })).toBeVisible();
  await other.close();
});

test("sign out", async () => {
  await page.goto("/jobs");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/servers");
  await expect(page).toHaveURL(/\/signin\?next=%2Fservers/);
});
