// A Slurm server as staff and users meet it in the browser: the scheduler and default
// resources on the server form, the resources section of the new-job form, a refused
// request named on its field, sbatch's own refusal on the job page, `pending` in the filters.
// (No cluster answers this sshd's sessions: sbatch refuses, which the job page must show.)
import { expect, type Page, test } from "@playwright/test";
import { type Api, ssh, useSession } from "./fixtures";

test.describe.configure({ mode: "serial" });

let page: Page;
let api: Api;

useSession(async (session) => {
  ({ page, api } = session);
});

test("staff adds a Slurm server with default resources", async () => {
  await api.post("/api/interpreters/", { name: "slurm-sh", path: "/bin/sh", arguments: [] });
  await page.goto("/servers");
  await page.getByRole("button", { name: "Add server" }).click();
  const form = page.getByRole("form", { name: "Add server" });
  await form.getByLabel("Name", { exact: true }).fill("hpc");
  await form.getByLabel("Hostname").fill(ssh.host);
  await form.getByLabel("Port").fill(ssh.port);
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
  const scanned = await api.post<{ key: string }>(`/api/servers/${hpc.id}/scan-host-key/`);
  await api.patch(`/api/servers/${hpc.id}/`, { host_key: scanned.key });
  await api.post("/api/credentials/", {
    server: hpc.id,
    username: ssh.user,
    kind: "key",
    private_key: ssh.privateKey,
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
