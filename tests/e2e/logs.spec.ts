// The log viewer: a dropped websocket, following the tail, filters and line links, a
// million lines, and paging back to line 1.
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import {
  type Api,
  COUNT_TO_TWENTY,
  type JobTarget,
  loadedLines,
  logState,
  logView,
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
  target = await setUpServer(api, "logs");
  // A finished job with stdout, one stderr line and colour, for the viewer's controls.
  const job = await submitJob(api, target, "twenty lines", COUNT_TO_TWENTY, {
    arguments: ["alpha"],
    environment: { GREETING: "hello" },
  });
  expect((await api.waitForEnd(job.id)).status).toBe("succeeded");
});

test("a dropped websocket resumes with no gap and no repeat", async () => {
  const total = 400;
  const job = await submit(
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
  const job = await submit(
    "scrolling",
    "import time\nfor i in range(1, 301):\n    print(f'tick {i}', flush=True)\n    time.sleep(0.03)\n",
  );
  await page.goto(`/jobs/${job.id}`);
  const view = logView(page);
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
  await page.getByRole("link", { name: "twenty lines" }).click();
  await expect(logState(page)).toHaveText("complete");
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
  await shot(page, "13b-job-log-timestamps");
  await page.getByLabel("Timestamps").uncheck();
  await page.getByLabel("Wrap").check();
  await expect(page.locator(".logviewer.wrap")).toBeVisible();
  await page.getByLabel("Wrap").uncheck();
  await page.getByRole("button", { name: "Full screen" }).click();
  await expect(page.locator(".logviewer.fullscreen")).toBeVisible();
  await shot(page, "13c-job-log-fullscreen");
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
  const job = await submit(
    "a million lines",
    "import sys\nw = sys.stdout.write\nfor i in range(1, 1000001):\n    w(f'row {i:07d} \\x1b[36m' + 'x' * 20 + '\\x1b[0m\\n')\n",
  );
  const done = await api.waitForStatus(job.id, ["succeeded", "failed", "lost"], 150_000);
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
  await shot(page, "11-job-million-lines-search");
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
  await shot(page, "11-job-million-lines");

  const full = await page.request.get(`/api/jobs/${job.id}/log.txt?stream=all`);
  expect(full.status()).toBe(200);
  const body = await full.body();
  let newlines = 0;
  for (const byte of body) if (byte === 10) newlines++;
  expect(newlines).toBe(1_000_000);
});

test("scrolling up pages earlier lines in until line 1", async () => {
  const job = await submit(
    "forty thousand",
    "for i in range(1, 40001):\n    print(f'entry {i:06d} ' + '.' * 16)\n",
  );
  expect((await api.waitForStatus(job.id, ["succeeded", "failed"])).status).toBe("succeeded");
  await page.goto(`/jobs/${job.id}`);
  await expect(page.locator(".log-row", { hasText: "entry 040000" })).toBeVisible();
  const first = page.locator('.log-row[data-line="1"]');
  const view = logView(page);
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
