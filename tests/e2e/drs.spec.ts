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

const logView = (target: Page = page) => target.getByTestId("log-view");

/** Log lines rendered on screen now (the view is virtualized: what is in the DOM). */
async function shownLines(target: Page = page): Promise<string[]> {
  return target.locator(".log-row .log-text").allTextContents();
}

/**
 * Every line of the loaded window, in line-number order: scrolls the log from top to
 * bottom and reads the rows as they render. Returns [line number, text] pairs.
 */
async function loadedLines(target: Page = page): Promise<[number, string][]> {
  const seen = new Map<number, string>();
  const view = logView(target);
  await view.evaluate((el) => {
    el.scrollTop = 0;
  });
  for (let step = 0; step < 500; step++) {
    await target.waitForTimeout(30);
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

const logState = (target: Page = page) => target.locator(".log-state");

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

  // Arguments are a list: one box per argument, so spaces and quotes stay inside one.
  const interp = page.getByRole("form", { name: "Add interpreter" });
  await interp.getByLabel("Name", { exact: true }).fill("python3");
  await interp.getByLabel("Path").fill("/usr/bin/env");
  await interp.getByRole("button", { name: "Add argument" }).click();
  await interp.getByLabel("Argument 1", { exact: true }).fill("python3");
  await interp.getByRole("button", { name: "Add argument" }).click();
  await interp.getByLabel("Argument 2", { exact: true }).fill("-u");
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  // Beside the demo application's python3-demo, which runs the same command.
  await expect(page.getByText("/usr/bin/env python3 -u")).toHaveCount(2);

  // Edit and delete an interpreter; an argument with a space stays one argument.
  await interp.getByLabel("Name", { exact: true }).fill("spare");
  await interp.getByLabel("Path").fill("/bin/sh");
  await interp.getByRole("button", { name: "Add argument" }).click();
  await interp.getByLabel("Argument 1", { exact: true }).fill("-c");
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  await page.getByRole("button", { name: "Edit interpreter spare" }).click();
  const edit = page.getByRole("form", { name: "Edit interpreter spare" });
  await edit.getByRole("button", { name: "Add argument" }).click();
  await edit.getByLabel("Argument 2", { exact: true }).fill("echo two words");
  await edit.getByRole("button", { name: "Save interpreter" }).click();
  await expect(page.getByText("/bin/sh -c 'echo two words'")).toBeVisible();
  const spare = (
    await apiGet<Page_<{ name: string; arguments: string[] }>>("/api/interpreters/")
  ).results.find((i) => i.name === "spare");
  expect(spare?.arguments).toEqual(["-c", "echo two words"]);
  await page.getByRole("button", { name: "Delete interpreter spare" }).click();
  await expect(page.getByText("/bin/sh -c 'echo two words'")).toHaveCount(0);

  await page.getByRole("button", { name: "Add server" }).click();
  const form = page.getByRole("form", { name: "Add server" });
  await form.getByLabel("Name", { exact: true }).fill("sshd");
  await form.getByLabel("Hostname").fill(SSH_HOST);
  await form.getByLabel("Port").fill(SSH_PORT);
  await form.getByLabel("python3", { exact: true }).check();
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
        "import base64",
        "open('dot.png', 'wb').write(base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))",
      ].join("\n"),
    );
  await form.getByLabel("Arguments").fill("alpha\nbeta gamma");
  await form.getByLabel("Result patterns").fill("*.txt\n*.png");
  await shot("06-new-job");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop() as string;

  // Lines appear while the job still runs.
  await expect
    .poll(async () => (await shownLines()).join("\n"), { timeout: 60_000 })
    .toContain("line 0003");
  expect((await apiGet<Job>(`/api/jobs/${id}/`)).status).toBe("running");
  await expect(page.getByTestId("job-status")).toHaveText("running");
  await shot("07-job-running");

  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("job-exit-code")).toHaveText("0");
  await expect(logState()).toHaveText("complete");
  const lines = (await loadedLines()).map(([, text]) => text);
  expect(lines).toContain("hello from ['alpha', 'beta gamma']");
  expect(lines).toContain("green and plain");
  expect(lines).toContain("to stderr");
  // `\r` redraws the line like a terminal: only the final state of the progress bar stays.
  expect(lines).toContain("progress done");
  expect(lines.join("\n")).not.toContain("progress  10%");
  // stderr carries a gutter mark, not red text; program colours pass through (ANSI green).
  const stderrRow = page.locator(".log-row.stderr", { hasText: "to stderr" });
  await expect(stderrRow.locator(".log-mark")).toBeVisible();
  const colours = await stderrRow.evaluate((row) => {
    const plain = document.querySelector(".log-row.stdout .log-text") as HTMLElement;
    return [
      getComputedStyle(row.querySelector(".log-text") as HTMLElement).color,
      getComputedStyle(plain).color,
    ];
  });
  expect(colours[0]).toBe(colours[1]);
  await expect(
    page.locator('.log-text span[style*="ansi-green"]', { hasText: "green" }),
  ).toBeVisible();
  // Keyboard: Tab walks through the log's controls and out of the log again.
  await page.getByLabel("Search the log").focus();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    if (await page.getByText("Program and inputs").evaluate((el) => el === document.activeElement))
      break;
  }
  await expect(page.getByText("Program and inputs")).toBeFocused();
  expect(lines.filter((l) => l.startsWith("line "))).toEqual(
    Array.from({ length: 20 }, (_, i) => `line ${String(i + 1).padStart(4, "0")}`),
  );
  // Rerun only for finished jobs (this one is): both rerun actions are offered now.
  await expect(page.getByRole("button", { name: "Rerun" })).toBeVisible();

  await expect(page.getByRole("cell", { name: "result.txt", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "skip.log", exact: true })).toHaveCount(0);
  // Small text results preview in the page.
  await page.getByRole("button", { name: "Preview dot.png" }).click();
  const image = page.getByRole("img", { name: "dot.png" });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
  await page.getByRole("button", { name: "Preview result.txt" }).click();
  await expect(page.getByTestId("result-preview")).toHaveText("forty-two\n");
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

  // Several statuses at once; the filters live in the address.
  await page.getByLabel("succeeded", { exact: true }).check();
  await page.getByLabel("failed", { exact: true }).check();
  await expect(page).toHaveURL(/status=succeeded&status=failed/);
  await expect(row).toBeVisible();
  await expect(row.locator("time")).toHaveText(/ago|just now/);
  await page.reload();
  await expect(page.getByLabel("failed", { exact: true })).toBeChecked();
  await expect(row).toBeVisible();
  await page.getByLabel("Search").fill("no such title");
  await expect(page.getByText("No jobs match these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
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

  // Edit and rerun: the new-job form comes filled from the job; change it and submit.
  await page.getByRole("link", { name: "Edit and rerun" }).click();
  await expect(page.getByRole("heading", { name: "Edit and rerun" })).toBeVisible();
  const form = page.getByRole("form", { name: "New job" });
  await expect(form.getByLabel("Title")).toHaveValue("fails");
  await expect(form.getByLabel("Program")).toHaveValue(/sys\.exit\(3\)/);
  await expect(form.getByLabel("Credential")).not.toHaveValue("");
  await form.getByLabel("Title").fill("fails no more");
  await form.getByLabel("Program").fill("print('fixed')\n");
  await shot("10c-edit-and-rerun");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(page.locator(".log-row .log-text", { hasText: "fixed" })).toBeVisible();
  await expect(page).toHaveTitle(/succeeded · fails no more/);
});

test("cancel a long job; the watcher is notified when it ends", async () => {
  // The browser's notifications, recorded (headless Chromium shows none).
  await page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __shown: string[] }).__shown = shown;
    class Recorder {
      static permission = "granted";
      static requestPermission = async () => "granted";
      constructor(title: string) {
        shown.push(title);
      }
    }
    (window as unknown as { Notification: unknown }).Notification = Recorder;
  });
  const job = await submitViaApi(
    "sleepy",
    "import time\nprint('going to sleep', flush=True)\ntime.sleep(600)\nprint('woke up')",
  );
  await page.goto(`/jobs/${job.id}`);
  await expect
    .poll(async () => (await shownLines()).join("\n"), { timeout: 60_000 })
    .toContain("going to sleep");
  // A running job's Rerun waits for its end, in place; its elapsed time counts up live.
  await expect(page.getByRole("button", { name: "Rerun" })).toBeDisabled();
  const elapsed = await page.getByTestId("job-elapsed").textContent();
  await expect(page.getByTestId("job-elapsed")).not.toHaveText(elapsed ?? "", { timeout: 5_000 });
  await page.getByLabel("Notify me when it ends").check();
  await expect(page).toHaveTitle(/running · sleepy/);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("cancelled", { timeout: 60_000 });
  await expect(page).toHaveTitle(/cancelled · sleepy/);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown))
    .toEqual(["Job cancelled"]);
  expect((await shownLines()).join("\n")).not.toContain("woke up");
  await shot("10-job-cancelled");
});

test("a dropped websocket resumes with no gap and no repeat", async () => {
  const total = 400;
  const job = await submitViaApi(
    "numbered",
    `import time\nfor i in range(1, ${total + 1}):\n    print(f"n={i:05d}", flush=True)\n    time.sleep(0.02)\n`,
  );
  // The log socket goes through Playwright, which can cut it like a flaky network would.
  const tab = await context.newPage();
  const sockets: { close: () => Promise<void> }[] = [];
  await tab.routeWebSocket(/\/ws\/jobs\/[^/]+\/logs\//, (ws) => {
    ws.connectToServer();
    sockets.push(ws);
  });
  await tab.goto(`/jobs/${job.id}`);
  const shownNumbers = async () =>
    (await shownLines(tab)).filter((l) => l.startsWith("n=")).map((l) => Number(l.slice(2)));
  let drops = 0;
  for (const threshold of [40, 120, 200, 300]) {
    await expect
      .poll(async () => Math.max(0, ...(await shownNumbers())), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(threshold);
    if ((await logState(tab).textContent()) === "complete") break;
    await sockets.at(-1)?.close();
    drops++;
  }
  expect(drops).toBeGreaterThanOrEqual(2);
  await expect(tab.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(logState(tab)).toHaveText("complete");
  const lines = await loadedLines(tab);
  const numbers = lines
    .map(([, t]) => t)
    .filter((l) => l.startsWith("n="))
    .map((l) => Number(l.slice(2)));
  expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  // Line numbers shown are the log's own: 1..400 with no gap.
  expect(lines.map(([n]) => n)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  // Every drop was followed by a resumed connection (a last drop may race the job's end,
  // after which there is nothing to resume).
  expect(sockets.length).toBeGreaterThanOrEqual(Math.max(3, drops));
  console.log(`[e2e] ws drops: ${drops}, log socket connections: ${sockets.length}`);
  await tab.close();
});

test("the log follows the tail unless the reader scrolls up", async () => {
  const job = await submitViaApi(
    "scrolling",
    "import time\nfor i in range(1, 301):\n    print(f'tick {i}', flush=True)\n    time.sleep(0.03)\n",
  );
  await page.goto(`/jobs/${job.id}`);
  const view = logView();
  const metrics = () =>
    view.evaluate((el) => ({
      top: el.scrollTop,
      fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight,
      height: el.scrollHeight,
      client: el.clientHeight,
    }));
  await expect
    .poll(
      async () => {
        const m = await metrics();
        return m.height - m.client;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(600);
  // Following: the view sits at the bottom.
  expect((await metrics()).fromBottom).toBeLessThan(4);
  await view.hover();
  await page.mouse.wheel(0, -400);
  const follow = page.getByRole("button", { name: "Follow output" });
  await expect(follow).toBeVisible();
  const held = (await metrics()).top;
  const grown = (await metrics()).height;
  await expect.poll(async () => (await metrics()).height).toBeGreaterThan(grown + 200);
  expect((await metrics()).top).toBe(held); // new lines did not yank the view
  await follow.click();
  await expect(follow).toBeHidden();
  await expect.poll(async () => (await metrics()).fromBottom).toBeLessThan(4);
});

test("stream filter, timestamps, wrap, full screen and line links", async () => {
  await page.goto("/jobs");
  await page.getByRole("link", { name: "count to twenty" }).click();
  await expect(logState()).toHaveText("complete");
  const rows = page.locator(".log-row");
  await expect(rows.filter({ hasText: "line 0020" })).toBeVisible();

  // stderr only: the one stderr line, numbered as in the whole log (gaps like grep -n).
  await page.getByLabel("Stream").selectOption("stderr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveText(/to stderr/);
  await expect(rows.first()).toHaveClass(/stderr/);
  const stderrLine = Number(await rows.first().getAttribute("data-line"));
  expect(stderrLine).toBeGreaterThanOrEqual(1);
  await page.getByLabel("Stream").selectOption("stdout");
  await expect(rows.filter({ hasText: "to stderr" })).toHaveCount(0);
  await expect(rows.filter({ hasText: "line 0020" })).toBeVisible();
  await page.getByLabel("Stream").selectOption("all");
  await expect(rows.filter({ hasText: "to stderr" })).toHaveCount(1);

  // Timestamps: each line shows the time its chunk arrived.
  await page.getByLabel("Timestamps").check();
  await expect(page.locator(".log-row .log-time").first()).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await shot("13b-job-log-timestamps");
  await page.getByLabel("Timestamps").uncheck();
  await page.getByLabel("Wrap").check();
  await expect(page.locator(".logviewer.wrap")).toBeVisible();
  await page.getByLabel("Wrap").uncheck();
  await page.getByRole("button", { name: "Full screen" }).click();
  await expect(page.locator(".logviewer.fullscreen")).toBeVisible();
  await shot("13c-job-log-fullscreen");
  await page.keyboard.press("Escape");
  await expect(page.locator(".logviewer.fullscreen")).toHaveCount(0);

  // Line links: clicking a number puts #L<n> in the address and marks the line; the link
  // opens there again.
  const line = rows.filter({ hasText: "line 0005" });
  const n = await line.getAttribute("data-line");
  await line.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`#L${n}$`));
  await expect(line).toHaveClass(/highlighted/);
  await page.reload();
  const again = page.locator(`.log-row[data-line="${n}"]`);
  await expect(again).toBeVisible();
  await expect(again).toHaveClass(/highlighted/);
  await expect(again).toHaveText(/line 0005/);
});

test("open a job with 1,000,000 lines at its tail; search and page through it", async () => {
  const job = await submitViaApi(
    "a million lines",
    "import sys\nw = sys.stdout.write\nfor i in range(1, 1000001):\n    w(f'row {i:07d} \\x1b[36m' + 'x' * 20 + '\\x1b[0m\\n')\n",
  );
  const done = await waitForStatus(job.id, ["succeeded", "failed", "lost"], 150_000);
  expect(done.status).toBe("succeeded");

  await page.goto("/jobs");
  const link = page.getByRole("link", { name: "a million lines" });
  await expect(link).toBeVisible();
  const last = page.locator(".log-row", { hasText: "row 1000000" });
  const t0 = Date.now();
  await link.click();
  await last.waitFor({ state: "visible", timeout: 20_000 });
  const tailMs = Date.now() - t0;
  await expect(page.getByTestId("log-counts")).toHaveText("1,000,000 lines");
  await expect(last).toHaveAttribute("data-line", "1000000");
  // The page stays responsive and holds a window, not the whole log.
  const rendered = await page.locator(".log-row").count();
  expect(rendered).toBeLessThan(200);
  console.log(`[e2e] 1M lines: last line visible ${tailMs} ms after the click`);

  // Search finds a line far outside the loaded part, through the API, and jumps there.
  const search = page.getByLabel("Search the log");
  await search.fill("row 0000005 ");
  await search.press("Enter");
  await expect(page.getByTestId("search-count")).toHaveText("1 of 1");
  const hit = page.locator('.log-row[data-line="5"]');
  await expect(hit).toBeVisible();
  await expect(hit).toHaveClass(/highlighted/);
  await expect(hit.locator("mark")).toHaveText("row 0000005 ");
  await shot("11-job-million-lines-search");
  // Many matches: a count and next/previous.
  await search.fill("row 099999");
  await search.press("Enter");
  await expect(page.getByTestId("search-count")).toHaveText("1 of 10");
  await page.getByRole("button", { name: "Next match" }).click();
  await expect(page.getByTestId("search-count")).toHaveText("2 of 10");
  await expect(page.locator('.log-row[data-line="999991"]')).toHaveClass(/highlighted/);
  await page.getByRole("button", { name: "Previous match" }).click();
  await expect(page.getByTestId("search-count")).toHaveText("1 of 10");
  await expect(page.locator('.log-row[data-line="999990"]')).toHaveClass(/highlighted/);

  // Back to the tail, then to the start.
  await page.getByRole("button", { name: "Follow output" }).click();
  await expect(last).toBeVisible();
  await page.getByRole("button", { name: "Start of log" }).click();
  await expect(page.locator('.log-row[data-line="1"]')).toHaveText(/row 0000001/);
  await shot("11-job-million-lines");

  const full = await page.request.get(`/api/jobs/${job.id}/log.txt?stream=all`);
  expect(full.status()).toBe(200);
  const body = await full.body();
  let newlines = 0;
  for (const byte of body) if (byte === 10) newlines++;
  expect(newlines).toBe(1_000_000);
});

test("scrolling up pages earlier lines in until line 1", async () => {
  const job = await submitViaApi(
    "forty thousand",
    "for i in range(1, 40001):\n    print(f'entry {i:06d} ' + '.' * 16)\n",
  );
  expect((await waitForStatus(job.id, ["succeeded", "failed"])).status).toBe("succeeded");
  await page.goto(`/jobs/${job.id}`);
  await expect(page.locator(".log-row", { hasText: "entry 040000" })).toBeVisible();
  const first = page.locator('.log-row[data-line="1"]');
  const view = logView();
  // The keyboard's Home scrolls the log box to its top, as dragging the scrollbar up does;
  // each time the view reaches the top of the window, the page before it is read in.
  await view.focus();
  let steps = 0;
  for (; steps < 40 && !(await first.isVisible()); steps++) {
    await page.keyboard.press("Home");
    await page.waitForTimeout(250);
  }
  await expect(first).toHaveText(/entry 000001/);
  // The window now runs from line 1 without a gap up to where paging started.
  const numbers = (await page
    .locator(".log-row")
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-line"))))) as number[];
  expect(numbers[0]).toBe(1);
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  console.log(`[e2e] scrolled to line 1 of 40,000 in ${steps} steps`);
});

test("deleting a server that jobs use shows why it cannot", async () => {
  await page.goto("/servers");
  const card = page.getByRole("article", { name: "sshd" });
  await card.getByRole("button", { name: "Delete" }).click();
  await card.getByRole("button", { name: "Confirm delete" }).click();
  await expect(card.getByTestId("delete-error")).toContainText("Cannot delete sshd");
  await expect(card).toBeVisible();
  await shot("05b-servers-delete-in-use");
});

test("the route error boundary tells the failures apart", async () => {
  const jobs = await apiGet<Page_<{ id: string }>>("/api/jobs/");
  const id = jobs.results[0]?.id as string;
  // A render error (malformed data from the API): the boundary, not a blank page.
  await page.route(`**/api/jobs/${id}/`, (route) =>
    route.fulfill({ json: { id, status: "succeeded", title: { not: "a string" } } }),
  );
  await page.goto(`/jobs/${id}`);
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await shot("19-error-boundary");
  // Not allowed.
  await page.unroute(`**/api/jobs/${id}/`);
  await page.route(`**/api/jobs/${id}/`, (route) =>
    route.fulfill({ status: 403, json: { detail: "You do not have permission to do this." } }),
  );
  await page.reload();
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  // A server error.
  await page.unroute(`**/api/jobs/${id}/`);
  await page.route(`**/api/jobs/${id}/`, (route) =>
    route.fulfill({ status: 500, body: "boom", contentType: "text/plain" }),
  );
  await page.reload();
  await expect(page.getByRole("heading", { name: "Server error" })).toBeVisible();
  await page.unroute(`**/api/jobs/${id}/`);
  // Offline: the job page's code chunk cannot load.
  await page.goto("/jobs");
  await page.route("**/assets/JobDetailPage-*.js", (route) => route.abort("internetdisconnected"));
  await page
    .getByRole("link")
    .filter({ hasText: /count to twenty/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Offline" })).toBeVisible();
  await page.unroute("**/assets/JobDetailPage-*.js");
  // A job that does not exist.
  await page.goto("/jobs/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "Job not found" })).toBeVisible();
});

test("screenshots: every page in light and dark, and on a phone", async () => {
  const jobs = await apiGet<Page_<{ id: string; title: string }>>(
    "/api/jobs/?search=count+to+twenty",
  );
  const jobId = jobs.results[0]?.id as string;
  const pages: [string, string, () => Promise<unknown>][] = [
    ["jobs", "/jobs", () => expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible()],
    [
      "job-detail",
      `/jobs/${jobId}`,
      () => expect(page.locator(".log-row", { hasText: "line 0020" })).toBeVisible(),
    ],
    [
      "new-job",
      "/jobs/new",
      () => expect(page.getByRole("heading", { name: "New job" })).toBeVisible(),
    ],
    [
      "servers",
      "/servers",
      () => expect(page.getByRole("article", { name: "sshd" })).toBeVisible(),
    ],
    [
      "credentials",
      "/credentials",
      () => expect(page.getByRole("cell", { name: "e2e key", exact: true })).toBeVisible(),
    ],
  ];
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.goto("/jobs");
  for (const theme of ["light", "dark"] as const) {
    const toggle = page.getByRole("button", { name: new RegExp(`Switch to ${theme} theme`) });
    if (await toggle.isVisible()) await toggle.click();
    // Light is the OS default here: the page follows it until the toggle is used.
    await expect.poll(background).toBe(theme === "dark" ? "rgb(13, 15, 17)" : "rgb(246, 246, 243)");
    for (const [name, path, ready] of pages) {
      await page.goto(path);
      await ready();
      await shot(`20-${name}-${theme}`);
    }
  }
  await page.getByRole("button", { name: /Switch to light theme/ }).click();

  // Phone width: no sideways scrolling, and the log viewer shows the job's lines.
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  for (const theme of ["light", "dark"] as const) {
    await phone.goto("/jobs");
    const toggle = phone.getByRole("button", { name: new RegExp(`Switch to ${theme} theme`) });
    if (await toggle.isVisible()) await toggle.click();
    await expect(phone.getByRole("heading", { name: "Jobs" })).toBeVisible();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(`14-phone-jobs-${theme}`, phone);
    await phone.getByRole("link", { name: "count to twenty" }).click();
    await expect(phone.getByTestId("job-status")).toHaveText("succeeded");
    await expect(logState(phone)).toHaveText("complete");
    // The log viewer on a phone shows the job's lines (the tail first).
    const tail = phone.locator(".log-row .log-text", { hasText: "line 0020" });
    await expect(tail).toBeVisible();
    const box = await tail.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(20);
    expect((await shownLines(phone)).length).toBeGreaterThan(5);
    await shot(`15-phone-job-detail-${theme}`, phone);
    for (const [name, path] of [
      ["new-job", "/jobs/new"],
      ["servers", "/servers"],
      ["credentials", "/credentials"],
    ]) {
      await phone.goto(path as string);
      await phone.waitForLoadState("networkidle");
      await shot(`16-phone-${name}-${theme}`, phone);
    }
  }
  await phone.close();

  // The docs page is served (the SPA links to it).
  const docs = await page.goto("/api/docs/");
  expect(docs?.status()).toBe(200);
  const rendered = await page
    .locator(".swagger-ui .info")
    .waitFor({ timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (rendered) await shot("17-api-docs");
  else console.log("[e2e] /api/docs/ answered 200 but Swagger UI did not render");
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
  // No job of hers (another user's exist): the first-run checklist, not their jobs.
  await expect(alice.getByRole("heading", { name: "Your first job in five steps" })).toBeVisible();
  await alice.getByRole("link", { name: "Servers" }).click();
  const card = alice.getByRole("article", { name: "sshd" });
  await expect(card).toBeVisible();
  await expect(card.getByRole("button", { name: "Check connection" })).toBeVisible();
  await expect(alice.getByRole("button", { name: "Add server" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Scan host key" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Delete" })).toHaveCount(0);
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
