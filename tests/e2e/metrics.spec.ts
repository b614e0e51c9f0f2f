// Live metrics and result plots in the browser, against the real backend, workers and sshd.
import { expect, type Page, test } from "@playwright/test";
import {
  type Api,
  ARTIFACTS,
  type JobTarget,
  setUpServer,
  submitJob,
  useSession,
} from "./fixtures";

test.describe.configure({ mode: "serial" });

let page: Page;
let api: Api;
let target: JobTarget;

const submit = (title: string, program: string, extra: Record<string, unknown> = {}) =>
  submitJob(api, target, title, program, extra);

useSession(async (session) => {
  ({ page, api } = session);
  target = await setUpServer(api, "metrics");
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
  await api.waitForStatus(job.id, ["running"]);
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
  const detail = await api.get<{ remote_directory: string }>(`/api/jobs/${job.id}/`);
  expect(detail.remote_directory).not.toBe("");
  await api.post(`/api/jobs/${job.id}/cancel/`);
  await api.waitForStatus(job.id, ["cancelled", "succeeded"]);
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
  await api.waitForStatus(job.id, ["succeeded"]);
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
  for (const job of jobs) await api.waitForStatus(job.id, ["succeeded"]);
  await page.goto(`/compare?jobs=${jobs.map((j) => j.id).join(",")}&file=refl.dat`);
  const overlay = page.getByTestId("compare-overlay");
  await expect(overlay.getByTestId("compare-plot").locator("canvas")).toBeVisible();
  const legend = overlay.locator(".u-legend .u-series");
  await expect(legend).toHaveCount(4); // x and one series per job
  for (const scale of [1, 2, 4])
    await expect(overlay.locator(".u-legend")).toContainText(`refl x${scale}`);
  await page.screenshot({ path: `${ARTIFACTS}/compare-overlay.png`, fullPage: true });
});
