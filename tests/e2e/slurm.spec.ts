// A Slurm server as staff and users meet it in the browser: the scheduler and default
// resources on the server form, the resources section of the new-job form, a refused
// request named on its field, sbatch's own refusal on the job page, `pending` in the filters.
// (No cluster answers this sshd's sessions: sbatch refuses, which the job page must show.)
import { readFileSync } from "node:fs";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.py`);
  return value;
};

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;

async function send<T>(method: "post" | "patch", path: string, data: unknown): Promise<T> {
  const csrf = (await context.cookies()).find((c) => c.name === "csrftoken")?.value ?? "";
  const response = await page.request[method](path, {
    data,
    headers: { "X-CSRFToken": csrf, Referer: `${env("E2E_BASE_URL")}/` },
  });
  expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto("/");
  await page.getByLabel("Username").fill(env("E2E_ADMIN_USER"));
  await page.getByLabel("Password").fill(env("E2E_ADMIN_PASSWORD"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
});

test.afterAll(async () => {
  await context.close();
});

test("staff adds a Slurm server with default resources", async () => {
  await send("post", "/api/interpreters/", { name: "slurm-sh", path: "/bin/sh", arguments: [] });
  await page.goto("/servers");
  await page.getByRole("button", { name: "Add server" }).click();
  const form = page.getByRole("form", { name: "Add server" });
  await form.getByLabel("Name", { exact: true }).fill("hpc");
  await form.getByLabel("Hostname").fill(env("E2E_SSH_HOST"));
  await form.getByLabel("Port").fill(env("E2E_SSH_PORT"));
  await form.getByLabel("slurm-sh").check();
  await expect(form.getByRole("group", { name: "Default resources" })).toHaveCount(0);
  await form.getByLabel("Scheduler").selectOption("slurm");
  const defaults = form.getByRole("group", { name: "Default resources" });
  await defaults.getByLabel("Partition").fill("debug");
  await defaults.getByLabel("CPUs per task").fill("1");
  await form.getByRole("button", { name: "Add server" }).click();
  await expect(page.getByRole("article", { name: "hpc" })).toBeVisible();

  const servers = await (await page.request.get("/api/servers/")).json();
  const hpc = servers.results.find((s: { name: string }) => s.name === "hpc");
  expect(hpc.scheduler).toBe("slurm");
  expect(hpc.default_resources).toEqual({ partition: "debug", cpus_per_task: 1 });
  const scanned = await send<{ key: string }>("post", `/api/servers/${hpc.id}/scan-host-key/`, {});
  await send("patch", `/api/servers/${hpc.id}/`, { host_key: scanned.key });
  await send("post", "/api/credentials/", {
    server: hpc.id,
    username: env("E2E_SSH_USER"),
    kind: "key",
    private_key: readFileSync(env("E2E_SSH_KEY_FILE"), "utf8"),
  });
});

test("the new-job form asks for resources; a bad one is named, sbatch's refusal shown", async () => {
  await page.goto("/jobs/new");
  const form = page.getByRole("form", { name: "New job" });
  await form.getByLabel("Server").selectOption({ label: "hpc" });
  const resources = form.getByRole("group", { name: "Resources" });
  await expect(resources).toBeVisible();
  await form.getByLabel("Title").fill("slurm e2e");
  await resources.getByLabel("Partition").fill("two words");
  await resources.getByLabel("Memory (MB)").fill("500");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(resources.getByRole("alert")).toContainText("partition");
  await expect(page).toHaveURL(/\/jobs\/new/);

  await resources.getByLabel("Partition").fill("nosuch");
  await form.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.locator(".job-head .badge")).toHaveAttribute("data-status", "failed", {
    timeout: 60_000,
  });
  await expect(page.getByText(/slurm refused the job/)).toBeVisible();
  const id = page.url().split("/").pop();
  const job = await (await page.request.get(`/api/jobs/${id}/`)).json();
  expect(job.resources).toEqual({ partition: "nosuch", memory_mb: 500 });
});

test("the jobs filter knows pending", async () => {
  await page.goto("/jobs");
  await expect(page.locator(".status-filter").getByLabel("pending")).toBeVisible();
});
