// A job's life in the browser: submitted from the form, its lines live, its results,
// the live jobs list, a failure and its reruns, cancelling, the error boundary, and
// every page in both themes and on a phone.
import { readFileSync } from "node:fs";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import {
  type Api,
  COUNT_TO_TWENTY,
  type Job,
  type JobTarget,
  loadedLines,
  logState,
  type Paged,
  setUpServer,
  shot,
  shownLines,
  submitJob,
  useSession,
} from "./fixtures";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let api: Api;
let target: JobTarget;

const submit = (title: string, program: string) => submitJob(api, target, title, program);

useSession(async (session) => {
  ({ context, page, api } = session);
  target = await setUpServer(api, "jobs");
});

test("submit a job, see its lines live, succeeded with exit 0, download a result", async () => {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "New job" })
    .click();
  const form = page.getByRole("form", { name: "New job" });
  await form.getByLabel("Title").fill("count to twenty");
  await form.getByLabel("Server").selectOption({ label: "jobs-sshd" });
  await expect(form.getByLabel("Credential")).not.toHaveValue("");
  // Bad environment line: the form says so next to the field, nothing is submitted.
  await form.getByLabel("Environment").fill("GREETING=hello\nnot a pair");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(form.locator(".field.has-error")).toContainText("Line 2");
  await form.getByLabel("Environment").fill("GREETING=hello");
  await form.getByLabel("Program").fill(COUNT_TO_TWENTY);
  await form.getByLabel("Arguments").fill("alpha\nbeta gamma");
  await form.getByLabel("Result patterns").fill("*.txt\n*.png");
  await shot(page, "06-new-job");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop() as string;

  // Lines appear while the job still runs.
  await expect
    .poll(async () => (await shownLines(page)).join("\n"), { timeout: 60_000 })
    .toContain("line 0003");
  expect((await api.get<Job>(`/api/jobs/${id}/`)).status).toBe("running");
  await expect(page.getByTestId("job-status")).toHaveText("running");
  await shot(page, "07-job-running");

  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("job-exit-code")).toHaveText("0");
  await expect(logState(page)).toHaveText("complete");
  const lines = (await loadedLines(page)).map(([, text]) => text);
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
  await shot(page, "08-job-succeeded");
});

test("the jobs list updates live", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.locator(".live-dot.open")).toBeVisible();
  const job = await submit("short and live", "import time\ntime.sleep(2)\nprint('ok')");
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
  await shot(page, "09-jobs-list");
});

test("a failing job shows its exit code and error; rerun submits a new one", async () => {
  const job = await submit("fails", "import sys\nprint('about to fail')\nsys.exit(3)\n");
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("job-status")).toHaveText("failed", { timeout: 60_000 });
  await expect(page.getByTestId("job-exit-code")).toHaveText("3");
  const error = (await api.get<{ error: string }>(`/api/jobs/${job.id}/`)).error;
  if (error) await expect(page.getByText(error)).toBeVisible();
  await page.getByRole("button", { name: "Rerun" }).click();
  await expect(page).not.toHaveURL(new RegExp(job.id));
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("link", { name: job.id.slice(0, 8) })).toBeVisible(); // "Rerun of"
  await expect(page.getByTestId("job-status")).toHaveText("failed", { timeout: 60_000 });
  await shot(page, "10b-job-failed-rerun");

  // Edit and rerun: the new-job form comes filled from the job; change it and submit.
  await page.getByRole("link", { name: "Edit and rerun" }).click();
  await expect(page.getByRole("heading", { name: "Edit and rerun" })).toBeVisible();
  const form = page.getByRole("form", { name: "New job" });
  await expect(form.getByLabel("Title")).toHaveValue("fails");
  await expect(form.getByLabel("Program")).toHaveValue(/sys\.exit\(3\)/);
  await expect(form.getByLabel("Credential")).not.toHaveValue("");
  await form.getByLabel("Title").fill("fails no more");
  await form.getByLabel("Program").fill("print('fixed')\n");
  await shot(page, "10c-edit-and-rerun");
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
  const job = await submit(
    "sleepy",
    "import time\nprint('going to sleep', flush=True)\ntime.sleep(600)\nprint('woke up')",
  );
  await page.goto(`/jobs/${job.id}`);
  await expect
    .poll(async () => (await shownLines(page)).join("\n"), { timeout: 60_000 })
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
  expect((await shownLines(page)).join("\n")).not.toContain("woke up");
  await shot(page, "10-job-cancelled");
});

test("the route error boundary tells the failures apart", async () => {
  const jobs = await api.get<Paged<{ id: string }>>("/api/jobs/");
  const id = jobs.results[0]?.id as string;
  // A render error (malformed data from the API): the boundary, not a blank page.
  await page.route(`**/api/jobs/${id}/`, (route) =>
    route.fulfill({ json: { id, status: "succeeded", title: { not: "a string" } } }),
  );
  await page.goto(`/jobs/${id}`);
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await shot(page, "19-error-boundary");
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
  const jobs = await api.get<Paged<{ id: string; title: string }>>(
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
      () => expect(page.getByRole("article", { name: "jobs-sshd", exact: true })).toBeVisible(),
    ],
    [
      "credentials",
      "/credentials",
      () => expect(page.getByRole("cell", { name: "jobs key", exact: true })).toBeVisible(),
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
      await shot(page, `20-${name}-${theme}`);
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
    await shot(phone, `14-phone-jobs-${theme}`);
    await phone.getByRole("link", { name: "count to twenty" }).click();
    await expect(phone.getByTestId("job-status")).toHaveText("succeeded");
    await expect(logState(phone)).toHaveText("complete");
    // The log viewer on a phone shows the job's lines (the tail first).
    const tail = phone.locator(".log-row .log-text", { hasText: "line 0020" });
    await expect(tail).toBeVisible();
    const box = await tail.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(20);
    expect((await shownLines(phone)).length).toBeGreaterThan(5);
    await shot(phone, `15-phone-job-detail-${theme}`);
    for (const [name, path] of [
      ["new-job", "/jobs/new"],
      ["servers", "/servers"],
      ["credentials", "/credentials"],
    ]) {
      await phone.goto(path as string);
      await phone.waitForLoadState("networkidle");
      await shot(phone, `16-phone-${name}-${theme}`);
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
  if (rendered) await shot(page, "17-api-docs");
  else console.log("[e2e] /api/docs/ answered 200 but Swagger UI did not render");
  const schema = await page.request.get("/api/schema/");
  expect(schema.status()).toBe(200);
});
