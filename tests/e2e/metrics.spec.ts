// Live metrics and result plots in the browser, against the real backend, workers and sshd.
import { readFileSync } from "node:fs";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.py`);
  return value;
};
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "../../test-artifacts";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let inputs: { server: number; credential: number; interpreter: number };

type Job = { id: string; status: string; progress: number | null };

async function csrf(): Promise<string> {
  return (await context.cookies()).find((c) => c.name === "csrftoken")?.value ?? "";
}

async function api<T>(method: "GET" | "POST", path: string, data?: unknown): Promise<T> {
  const response = await page.request.fetch(path, {
    method,
    ...(data === undefined ? {} : { data }),
    headers: { "X-CSRFToken": await csrf(), Referer: `${env("E2E_BASE_URL")}/` },
  });
  expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

async function submit(title: string, program: string, extra: Record<string, unknown> = {}) {
  return api<Job>("POST", "/api/jobs/", { title, program, ...inputs, ...extra });
}

async function waitForStatus(id: string, statuses: string[]): Promise<Job> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = await api<Job>("GET", `/api/jobs/${id}/`);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await page.waitForTimeout(300);
  }
}

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
  await page.goto("/signin");
  await page.getByLabel("Username").fill(env("E2E_ADMIN_USER"));
  await page.getByLabel("Password").fill(env("E2E_ADMIN_PASSWORD"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  const interpreters = await api<{ results: { id: number; name: string }[] }>(
    "GET",
    "/api/interpreters/",
  );
  let interpreter = interpreters.results.find((i) => i.name === "python3")?.id;
  if (interpreter == null) {
    interpreter = (
      await api<{ id: number }>("POST", "/api/interpreters/", {
        name: "python3",
        path: "/usr/bin/python3",
        arguments: [],
      })
    ).id;
  }
  const servers = await api<{ results: { id: number; name: string }[] }>("GET", "/api/servers/");
  let server = servers.results.find((s) => s.name === "metrics-sshd")?.id;
  if (server == null) {
    const created = await api<{ id: number }>("POST", "/api/servers/", {
      name: "metrics-sshd",
      kind: "ssh",
      hostname: env("E2E_SSH_HOST"),
      port: Number(env("E2E_SSH_PORT")),
      interpreters: [interpreter],
    });
    server = created.id;
    const scanned = await api<{ key: string }>("POST", `/api/servers/${server}/scan-host-key/`);
    const patched = await page.request.patch(`/api/servers/${server}/`, {
      data: { host_key: scanned.key },
      headers: { "X-CSRFToken": await csrf(), Referer: `${env("E2E_BASE_URL")}/` },
    });
    expect(patched.ok()).toBeTruthy();
  }
  const credential = await api<{ id: number }>("POST", "/api/credentials/", {
    server,
    name: `metrics key ${Date.now()}`,
    username: env("E2E_SSH_USER"),
    kind: "key",
    private_key: readFileSync(env("E2E_SSH_KEY_FILE"), "utf8"),
  });
  inputs = { server, credential: credential.id, interpreter };
});

test.afterAll(async () => {
  await context.close();
});

// Points until a `release` file appears in its directory, one every 50 ms: the chart must
// grow while the job runs.
const LIVE = `
import json, math, os, time
f = open(os.environ["DRS_METRICS"], "a")
step = 0
while not os.path.exists("release") and step < 3000:
    step += 1
    f.write(json.dumps({"step": step, "loss": math.exp(-step / 50), "progress": min(1, step / 400)}) + "\\n")
    f.flush()
    time.sleep(0.05)
`;

test("a running job's metric chart grows live, with a progress bar", async () => {
  const job = await submit("metrics live", LIVE);
  await waitForStatus(job.id, ["running"]);
  await page.goto(`/jobs/${job.id}`);
  const chart = page.getByTestId("metric-chart-loss");
  await expect(chart.locator("canvas")).toBeVisible();
  const count = page.getByTestId("metric-count");
  const points = async () => Number((await count.textContent())?.split(" ")[0]);
  const first = await points();
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(first + 10);
  await expect(page.getByTestId("job-progress").first()).toBeVisible();
  // Log scale and zoom are there.
  await chart.getByLabel("Log scale").check();
  await expect(chart.locator("canvas")).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/metrics-live.png`, fullPage: true });
  // The list shows the progress too.
  await page.goto("/jobs");
  await expect(page.getByTestId("job-progress").first()).toBeVisible();
  const detail = await api<{ remote_directory: string }>("GET", `/api/jobs/${job.id}/`);
  expect(detail.remote_directory).not.toBe("");
  await api("POST", `/api/jobs/${job.id}/cancel/`);
  await waitForStatus(job.id, ["cancelled", "succeeded"]);
});

// A reflectivity-like curve: Q, R, dR; R spans four decades.
const REFL = (scale: number) => `
import math
with open("refl.dat", "w") as f:
    f.write("# reflectivity\\n# Q R dR\\n")
    for i in range(1, 201):
        q = i * 0.001
        r = ${scale} * math.exp(-q * 40)
        f.write(f"{q:.4f} {r:.6e} {r * 0.1:.6e}\\n")
`;

test("a two-column .dat result renders as a plot with log y and error bars", async () => {
  const job = await submit("refl", REFL(1), { result_patterns: ["refl.dat"] });
  await waitForStatus(job.id, ["succeeded"]);
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole("button", { name: "Preview refl.dat" }).click();
  const viewer = page.getByTestId("result-viewer");
  await expect(viewer.getByTestId("table-plot").locator("canvas")).toBeVisible();
  await expect(viewer.getByLabel("error column")).toHaveValue("2"); // dR picked up
  const plot = viewer.getByTestId("table-plot");
  await expect(plot).toHaveAttribute("data-points", "200");
  await viewer.getByLabel("log y").check();
  await expect(plot).toHaveAttribute("data-log-y", "true");
  await expect(plot.locator("canvas")).toBeVisible();
  // One error bar per point, drawn on the canvas.
  await expect(plot.locator(".uplot")).toHaveAttribute("data-error-bars", "200");
  await page.screenshot({ path: `${ARTIFACTS}/result-plot.png`, fullPage: true });
  await viewer.getByRole("tab", { name: "Table" }).click();
  await expect(viewer.getByTestId("virtual-table")).toContainText("dR");
});

test("an overlay of three jobs' results", async () => {
  const jobs = [];
  for (const scale of [1, 2, 4]) {
    jobs.push(await submit(`refl x${scale}`, REFL(scale), { result_patterns: ["refl.dat"] }));
  }
  for (const job of jobs) await waitForStatus(job.id, ["succeeded"]);
  await page.goto(`/compare?jobs=${jobs.map((j) => j.id).join(",")}&file=refl.dat`);
  const overlay = page.getByTestId("compare-overlay");
  await expect(overlay.getByTestId("compare-plot").locator("canvas")).toBeVisible();
  const legend = overlay.locator(".u-legend .u-series");
  await expect(legend).toHaveCount(4); // x and one series per job
  for (const scale of [1, 2, 4])
    await expect(overlay.locator(".u-legend")).toContainText(`refl x${scale}`);
  await page.screenshot({ path: `${ARTIFACTS}/compare-overlay.png`, fullPage: true });
});
