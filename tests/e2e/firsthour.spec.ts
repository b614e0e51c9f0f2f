// The first hour of a new installation: the checklist from an empty install to a first
// job's output, a server without interpreters, the log first on a desktop and a phone, and
// a double click on Cancel that must never start anything.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { Api, type Job, type Paged, shot as screenshot, signIn, ssh } from "./fixtures";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

test.describe.configure({ mode: "serial" });

let page: Page;
let api: Api;

/** What the screen shows (not the full page), in test-artifacts/firsthour/. */
const shot = (name: string, target: Page = page) =>
  screenshot(target, `firsthour/${name}`, { fullPage: false });

const signedInPage = async (browser: Browser, viewport: { width: number; height: number }) =>
  (await signIn(browser, { viewport })).page;

const step = (name: string) => page.locator(`.checklist li[data-step="${name}"]`);
const done = (name: string) => expect(step(name)).toHaveClass(/done/);
const serversLink = () =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Servers" });

test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser, DESKTOP);
  api = new Api(page);
});

test("the checklist leads from an empty install to a first job's output", async () => {
  // Only an empty installation shows it: tests/e2e/run.py gives this spec its own stack.
  await expect(page.getByRole("heading", { name: "Your first job in five steps" })).toBeVisible();
  for (const name of ["server", "pin", "interpreters", "credential", "job"]) {
    await expect(step(name)).not.toHaveClass(/done/);
  }
  await shot("01-checklist-empty");

  // Interpreters from presets; the note says DRS appends the program file.
  await step("server").getByRole("link", { name: "Add server" }).click();
  await expect(page.getByRole("heading", { name: "Servers" })).toBeVisible();
  const interp = page.getByRole("form", { name: "Add interpreter" });
  await expect(interp).toContainText("the program file is appended");
  await interp.getByRole("button", { name: "python3 -u" }).click();
  await expect(interp.getByLabel("Argument 2", { exact: true })).toHaveValue("-u");
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  // Beside the demo application's own python3-demo interpreter.
  await expect(page.getByText("/usr/bin/env python3 -u")).toHaveCount(2);
  await interp.getByRole("button", { name: "bash" }).click();
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  await expect(page.getByText("/usr/bin/env bash")).toBeVisible();

  // A loopback host is refused when saved, saying how to allow it.
  await page.getByRole("button", { name: "Add server" }).click();
  const form = page.getByRole("form", { name: "Add server" });
  await form.getByLabel("Name", { exact: true }).fill("lab");
  await form.getByLabel("Hostname").fill("169.254.169.254");
  await form.getByLabel("Port").fill(ssh.port);
  await form.getByRole("button", { name: "Add server" }).click();
  await expect(form).toContainText("DRS_ALLOWED_SSH_NETWORKS");
  await expect(form).toContainText("restart DRS");
  await shot("02-refused-hostname");
  // The server without interpreters: its card says none, not "any".
  await form.getByLabel("Hostname").fill(ssh.host);
  await form.getByRole("button", { name: "Add server" }).click();
  const card = page.getByRole("article", { name: "lab" });
  await expect(card.getByTestId("server-interpreters")).toContainText("None");
  await expect(card.getByTestId("server-interpreters")).not.toContainText("any");

  await card.getByRole("button", { name: "Scan host key" }).click();
  await expect(card.getByTestId("scanned-fingerprint")).toHaveText(ssh.fingerprint);
  await card.getByRole("button", { name: "Approve and pin" }).click();
  await expect(card.getByTestId("pinned-fingerprint")).toHaveText(ssh.fingerprint);
  // Scanning again says the key matches, and offers nothing to approve.
  await card.getByRole("button", { name: "Scan host key" }).click();
  await expect(card.getByTestId("scan-matches")).toBeVisible();
  await expect(card.getByRole("button", { name: "Approve and pin" })).toHaveCount(0);
  await card.getByRole("button", { name: "Close" }).click();

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Jobs", exact: true })
    .click();
  await done("server");
  await done("pin");
  await expect(step("interpreters")).not.toHaveClass(/done/);
  await step("credential").getByRole("link", { name: "Credentials" }).click();
  await page.getByRole("button", { name: "Add credential" }).click();
  const cred = page.getByRole("form", { name: "Add credential" });
  await cred.getByLabel("Server").selectOption({ label: "lab" });
  await cred.getByLabel("Username").fill(ssh.user);
  await cred.getByRole("textbox", { name: "Private key" }).fill(ssh.privateKey);
  await cred.getByRole("button", { name: "Save credential" }).click();
  await expect(page.locator('td[data-label="Username"]')).toHaveText(ssh.user);

  // The form offers only the server's interpreters: none here, with the way to fix it.
  await page.goto("/jobs/new");
  const jobForm = page.getByRole("form", { name: "New job" });
  await jobForm.getByLabel("Server").selectOption({ label: "lab" });
  await expect(jobForm.getByLabel("Interpreter").locator("option")).toHaveText(["Choose…"]);
  await expect(jobForm).toContainText("This server offers none yet");
  await shot("03-form-no-interpreters");

  // Tick one interpreter on the server; the check runs it and names it.
  await serversLink().click();
  await card.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("form", { name: "Edit lab" });
  await edit.getByLabel("python3", { exact: true }).check();
  await edit.getByRole("button", { name: /Save/ }).click();
  await expect(card.getByTestId("server-interpreters")).toHaveText("python3");
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("check-result")).toContainText(/Connected in \d+ ms/);
  await expect(card.getByTestId("check-result")).toContainText("python3 starts");
  await shot("04-check-connection");
  // An interpreter added with "Offer it on" is on the server at once; the check names it
  // when it does not start (no R on this host).
  await interp.getByRole("button", { name: "Rscript" }).click();
  await interp.getByLabel("lab").check();
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  await expect(card.getByTestId("server-interpreters")).toContainText("Rscript");
  await expect(card.getByTestId("server-interpreters")).toContainText("python3");
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("check-result")).toContainText(
    "these interpreters do not start: Rscript (not found on the server",
  );
  await shot("04b-check-names-rscript");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Jobs", exact: true })
    .click();
  for (const name of ["server", "pin", "interpreters", "credential"]) await done(name);
  await shot("05-checklist-four-done");
  await step("job").getByRole("link", { name: "New job" }).click();
  await jobForm.getByLabel("Server").selectOption({ label: "lab" });
  const offered = await jobForm.getByLabel("Interpreter").locator("option").allTextContents();
  expect(offered.sort()).toEqual(["Choose…", "Rscript", "python3"].sort());
  await jobForm.getByLabel("Interpreter").selectOption({ label: "python3" });
  await jobForm.getByLabel("Title").fill("first job");
  await jobForm.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.locator(".log-row .log-text", { hasText: "step 10/10" })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("results-link")).toHaveText("1 result");
  await shot("06-first-job-output");
});

/** A running job with more lines than any screen holds; its last line so far. */
async function longRunningJob(title: string): Promise<Job> {
  const servers =
    await api.get<Paged<{ id: number; name: string; interpreters: number[] }>>("/api/servers/");
  const creds = await api.get<Paged<{ id: number; server: number }>>("/api/credentials/");
  const interps = await api.get<Paged<{ id: number; name: string }>>("/api/interpreters/");
  // The checklist test's server.
  const lab = servers.results.find((s) => s.name === "lab");
  return api.post<Job>("/api/jobs/", {
    title,
    server: lab?.id,
    credential: creds.results.find((c) => c.server === lab?.id)?.id,
    interpreter: interps.results.find((i) => i.name === "python3")?.id,
    program:
      "import time\nfor i in range(1, 121):\n    print(f'line {i:04d}', flush=True)\n" +
      "print('all lines out', flush=True)\ntime.sleep(600)\n",
  });
}

for (const [label, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const) {
  test(`the newest line of a running job shows without scrolling (${label})`, async ({
    browser,
  }) => {
    const job = await longRunningJob(`tail ${label}`);
    const p = label === "desktop" ? page : await signedInPage(browser, viewport);
    await p.goto(`/jobs/${job.id}`);
    const newest = p.locator(".log-row .log-text", { hasText: "all lines out" });
    await expect(newest).toBeVisible({ timeout: 60_000 });
    await expect(p.getByTestId("job-status")).toHaveText("running");
    expect(await p.evaluate(() => window.scrollY)).toBe(0);
    const box = await newest.boundingBox();
    expect(box, "the newest line is rendered").not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(viewport.height);
    await expect(p.getByRole("button", { name: "Cancel" })).toBeInViewport();
    await shot(`07-running-${label}`, p);
    await api.post(`/api/jobs/${job.id}/cancel/`);
    if (p !== page) await p.context().close();
  });
}

test("a double click on Cancel asks first and never starts a job", async () => {
  const job = await longRunningJob("double click");
  await page.goto(`/jobs/${job.id}`);
  await expect(page.locator(".log-row .log-text", { hasText: "all lines out" })).toBeVisible({
    timeout: 60_000,
  });
  const count = async () => (await api.get<Paged<Job>>("/api/jobs/?page_size=100")).results.length;
  const before = await count();
  const cancel = page.getByRole("button", { name: "Cancel", exact: true });
  const where = await cancel.boundingBox();
  if (!where) throw new Error("no Cancel button");
  const x = where.x + where.width / 2;
  const y = where.y + where.height / 2;

  await page.mouse.dblclick(x, y);
  const dialog = page.getByRole("dialog", { name: "Cancel this job?" });
  await expect(dialog).toBeVisible();
  await shot("08-cancel-confirm");
  expect((await api.get<Job>(`/api/jobs/${job.id}/`)).status).toBe("running");
  await dialog.getByRole("button", { name: "Keep running" }).click();
  await expect(dialog).toBeHidden();
  expect((await api.get<Job>(`/api/jobs/${job.id}/`)).status).toBe("running");

  await page.mouse.click(x, y);
  await dialog.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("job-status")).toHaveText("cancelled", { timeout: 60_000 });
  // Not an error: a cancel the user asked for.
  await expect(page.getByTestId("job-outcome")).not.toHaveClass(/error-banner/);
  // The buttons stayed where they were: the same spot is the (now disabled) Cancel.
  expect(await cancel.boundingBox()).toEqual(where);
  await expect(cancel).toBeDisabled();
  await page.mouse.dblclick(x, y);
  await page.waitForTimeout(1000);
  await expect(page).toHaveURL(new RegExp(job.id));
  expect(await count()).toBe(before);
  await shot("09-cancelled");
});

test("the demo application says which interpreter no server offers yet", async () => {
  await page.goto("/applications/least-squares-fit/launch");
  await expect(page.getByRole("heading", { name: "Least-squares fit" })).toBeVisible();
  const hint = page.getByText("No server offers this application's interpreter “python3-demo”");
  await expect(hint).toBeVisible();
  await expect(page.getByRole("link", { name: "Servers", exact: true }).last()).toHaveAttribute(
    "href",
    "/servers",
  );
  await shot("10-demo-interpreter-missing");
});
