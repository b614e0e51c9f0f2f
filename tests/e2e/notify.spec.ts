// Webhooks, schedules and browser notifications in the SPA, against the real backend,
// workers (runners, the notifier) and sshd. The webhook receiver runs in this process.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { Api, ARTIFACTS, setUpServer, signIn } from "./fixtures";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
let api: Api;
let jobBody: Record<string, unknown>;

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { "Content-Type": "text/plain" }).end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await context?.close();
  receiver.close();
});

test("sign in and set up a server and credential", async ({ browser }) => {
  ({ context, page } = await signIn(browser, { permissions: ["notifications"] }));
  api = new Api(page);
  jobBody = { ...(await setUpServer(api, "notify")), program: "print('from a schedule')" };
});

test("webhooks: add one, see its secret once, send a test event, read the delivery log", async () => {
  const port = (receiver.address() as AddressInfo).port;
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const form = page.getByRole("form", { name: "Add webhook" });
  await form.getByLabel("URL").fill("file:///etc/passwd");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByRole("alert")).toContainText("Only http:// and https://");
  await form.getByLabel("URL").fill(`http://127.0.0.1:${port}/hook`);
  await form.getByLabel("Job failed, timed out or lost").check();
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
  expect(secret.length).toBeGreaterThanOrEqual(32);
  await page.screenshot({ path: `${ARTIFACTS}/notify-01-webhook-secret.png`, fullPage: true });
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

  const card = page.getByRole("article", { name: `Webhook http://127.0.0.1:${port}/hook` });
  await expect(card.getByText("job.failed")).toBeVisible();
  await card.getByRole("button", { name: "Send test event" }).click();
  const log = card.getByRole("table", { name: "Delivery log" });
  await expect(log.getByRole("row", { name: /webhook\.test.*200 OK/ })).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: `${ARTIFACTS}/notify-02-delivery-log.png`, fullPage: true });

  expect(received).toHaveLength(1);
  const [hit] = received;
  if (!hit) throw new Error("no delivery");
  expect(hit.headers["x-drs-event"]).toBe("webhook.test");
  const expected = `sha256=${createHmac("sha256", secret).update(hit.body).digest("hex")}`;
  expect(hit.headers["x-drs-signature"]).toBe(expected);
});

test("schedules: a bad cron is refused on its field; a good one runs within the minute", async () => {
  await page.getByRole("link", { name: "Schedules" }).click();
  await page.getByRole("button", { name: "Add schedule" }).click();
  const form = page.getByRole("form", { name: "Add schedule" });
  await form.getByLabel("Name").fill("every minute");
  await form.getByLabel("Cron").fill("* * * *");
  await form
    .getByRole("textbox", { name: "Job", exact: true })
    .fill(JSON.stringify(jobBody, null, 2));
  await form.getByRole("button", { name: "Add schedule" }).click();
  await expect(form.getByText("Use 5 fields")).toBeVisible();
  await form.getByLabel("Cron").fill("* * * * *");
  await form.getByRole("button", { name: "Add schedule" }).click();

  const card = page.getByRole("article", { name: "Schedule every minute" });
  await expect(card.getByRole("list", { name: "Next runs" }).getByRole("listitem")).toHaveCount(5);
  await page.screenshot({ path: `${ARTIFACTS}/notify-03-schedule.png`, fullPage: true });
  await expect(card.getByRole("link", { name: /created/ })).toBeVisible({ timeout: 90_000 });
  await card.getByRole("link", { name: /created/ }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await page.getByRole("link", { name: "Schedules" }).click();
  await page
    .getByRole("article", { name: "Schedule every minute" })
    .getByRole("checkbox", { name: "Enabled" })
    .click(); // a controlled checkbox: it turns off once the server said so
  await expect(
    page.getByRole("article", { name: "Schedule every minute" }).getByText("None while disabled."),
  ).toBeVisible();
});

test("browser notification for my job ending while the page is in the background", async () => {
  await page.getByRole("link", { name: "Settings" }).click();
  // This installation sends no email: the email settings are not offered.
  await expect(page.getByRole("form", { name: "Email" })).toHaveCount(0);
  const toggle = page.getByRole("checkbox", { name: /Notify me when one of my jobs ends/ });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect(toggle).toBeChecked();
  await page.evaluate(() => {
    const shown: string[] = [];
    (window as unknown as { shown: string[] }).shown = shown;
    const Original = window.Notification;
    class Recording extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    }
    window.Notification = Recording as typeof Notification;
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
  });
  const job = await api.post<{ id: string }>("/api/jobs/", {
    ...jobBody,
    title: "background fit",
  });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { shown: string[] }).shown), {
      timeout: 60_000,
    })
    .toContain("background fit: succeeded");
  expect(job.id).toBeTruthy();
  await page.getByRole("link", { name: "New job" }).click();
  await expect(page.getByRole("form", { name: "New job" })).toBeVisible();
  await expect(page.getByText("Email me when the job ends")).toHaveCount(0);
});
