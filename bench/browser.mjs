// The browser half of bench/browser.py (PLOT): Debian's Chromium driven by playwright-core
// from the frontend's node_modules. argv[2]: JSON settings from browser.py. Prints one
// line of JSON: the figures.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "package.json"));
const { chromium } = require("playwright-core");
const opt = JSON.parse(process.argv[2]);

const browser = await chromium.launch({
  executablePath: opt.chromium,
  args: [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const result = {};
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${opt.base}/signin`);
  await page.getByLabel("Username").fill(opt.username);
  await page.getByLabel("Password").fill(opt.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Jobs" }).waitFor({ timeout: 60_000 });
  result.table = await tablePlot(page);
  result.live = await liveChart(page);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

/** In the page: resolve with performance.now() at the first frame after `test()` holds. */
function untilFrame(page, test, timeout = 30_000) {
  return page.evaluate(
    ([src, limit]) =>
      new Promise((resolve, reject) => {
        const check = new Function(`return (${src})()`);
        const start = performance.now();
        const tick = () => {
          if (check()) resolve(performance.now());
          else if (performance.now() - start > limit) reject(new Error(`timed out: ${src}`));
          else requestAnimationFrame(tick);
        };
        tick();
      }),
    [test.toString(), timeout],
  );
}

async function tablePlot(page) {
  await page.goto(`${opt.base}/jobs/${opt.tableJob}`);
  const button = page.getByRole("button", { name: `Preview ${opt.tableFile}` });
  await button.waitFor({ timeout: 60_000 });
  // The click is the page's own (no round trip to this process in the timing).
  const clicked = await page.evaluate((label) => {
    const b = document.querySelector(`button[aria-label="${label}"]`);
    const t = performance.now();
    b.click();
    return t;
  }, `Preview ${opt.tableFile}`);
  const drawn = await untilFrame(page, () => {
    const plot = document.querySelector('[data-testid="table-plot"]');
    return plot && Number(plot.dataset.points) > 0 && plot.querySelector("canvas");
  });
  const plot = page.getByTestId("table-plot");
  const points = Number(await plot.getAttribute("data-points"));
  // A drag-zoom over the middle fifth of the plot: answered when the canvas changes.
  const over = await plot.locator(".u-over").boundingBox();
  const canvasBefore = await plot.locator("canvas").evaluate((c) => c.toDataURL());
  const y = over.y + over.height / 2;
  await page.mouse.move(over.x + over.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(over.x + over.width * 0.5, y, { steps: 3 });
  const released = await page.evaluate(() => performance.now());
  await page.mouse.up();
  const zoomed = await page.evaluate(
    (before) =>
      new Promise((resolve, reject) => {
        const start = performance.now();
        const tick = () => {
          const c = document.querySelector('[data-testid="table-plot"] canvas');
          if (c && c.toDataURL() !== before) resolve(performance.now());
          else if (performance.now() - start > 10_000) reject(new Error("zoom not drawn"));
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    canvasBefore,
  );
  return {
    points_drawn: points,
    click_to_drawn_ms: Math.round(drawn - clicked),
    zoom_ms: Math.round(zoomed - released),
  };
}

async function liveChart(page) {
  const t0 = Date.now();
  await page.goto(`${opt.base}/jobs/${opt.liveJob}`);
  const count = page.getByTestId("metric-count");
  await count.waitFor({ timeout: 120_000 });
  const held = async () => Number(((await count.textContent()) ?? "0").split(" ")[0]);
  while ((await held()) < opt.livePoints) {
    if (Date.now() - t0 > 300_000) throw new Error(`only ${await held()} points arrived`);
    await page.waitForTimeout(100);
  }
  const loaded = Date.now() - t0;
  writeFileSync(opt.goFile, "go");
  // Count frames (requestAnimationFrame callbacks), long gaps between them, and chart
  // updates (the point count the chart shows changing) once points flow.
  const startCount = await held();
  const deadline = Date.now() + 10_000;
  while ((await held()) === startCount && Date.now() < deadline) await page.waitForTimeout(20);
  const window = Math.max(2, Math.min(5, opt.liveSeconds - 2));
  const figures = await page.evaluate(
    (seconds) =>
      new Promise((resolve) => {
        const el = document.querySelector('[data-testid="metric-count"]');
        const points = () => Number(el.textContent.split(" ")[0]);
        let updates = 0;
        const observer = new MutationObserver(() => updates++);
        observer.observe(el, { childList: true, characterData: true, subtree: true });
        const first = points();
        const start = performance.now();
        let frames = 0;
        let last = start;
        let worst = 0;
        const tick = (now) => {
          frames++;
          worst = Math.max(worst, now - last);
          last = now;
          if (now - start < seconds * 1000) requestAnimationFrame(tick);
          else {
            observer.disconnect();
            const elapsed = (now - start) / 1000;
            resolve({
              window_s: Math.round(elapsed * 100) / 100,
              fps: Math.round((frames / elapsed) * 10) / 10,
              worst_frame_ms: Math.round(worst),
              chart_updates_per_s: Math.round((updates / elapsed) * 10) / 10,
              points_at_start: first,
              points_added: points() - first,
            });
          }
        };
        requestAnimationFrame(tick);
      }),
    window,
  );
  return { backfill_s: Math.round(loaded / 100) / 10, ...figures };
}
