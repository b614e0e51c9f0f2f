// Applications in the browser: a generated launch form with client-side validation in
// the API's words (under the SPA's strict Content-Security-Policy), a launched job with
// an uploaded file, and a 6-job sweep whose grid fills live.
import { expect, type Page, test } from "@playwright/test";
import { ARTIFACTS, setUpServer, useSession } from "./fixtures";

test.describe.configure({ mode: "serial" });

let page: Page;

/** The CSP violations the current document reported (recorded by the init script below). */
const cspViolations = (): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

const LABEL = "two words; $(touch pwned) `id` 'q'";

useSession(async (session) => {
  ({ page } = session);
  const { api, context } = session;
  // Every Content-Security-Policy violation a page reports, kept for the assertions below.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  // A pinned server and a key credential, set up through the API (servers.spec.ts covers
  // doing that in the browser).
  const { interpreter } = await setUpServer(api, "apps");
  await api.post("/api/applications/", {
    name: "echo-args",
    title: "Echo arguments",
    description: "Prints its **argv**, one item per line.",
    interpreter,
    program: [
      "import sys",
      "for item in sys.argv[1:]:",
      "    print(repr(item))",
      "    if item.startswith('in/'):",
      "        print(open(item).read(), end='')",
      "",
    ].join("\n"),
    arguments: ["{label}", "{q}", "{model}", "{data}"],
    parameters: {
      type: "object",
      properties: {
        label: { type: "string", title: "Label" },
        q: { type: "number", title: "Q", minimum: 0, maximum: 1, default: 0.5 },
        model: { type: "string", title: "Model", enum: ["one", "two"], default: "one" },
        data: { type: "string", title: "Data", format: "file", "x-path": "in/data.csv" },
      },
      required: ["label"],
    },
  });
});

test("launch an application from its generated form", async () => {
  await page.getByRole("link", { name: "Applications", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Least-squares fit" })).toBeVisible();
  await page.getByRole("link", { name: "Launch Echo arguments" }).click();
  await expect(page.getByRole("heading", { name: "Echo arguments" })).toBeVisible();
  const spa = await page.request.get(page.url());
  expect(spa.headers()["content-security-policy"]).toContain("script-src 'self';");
  await page.getByLabel("Server").selectOption({ label: "apps-sshd" });

  // Validation in the browser, in the API's words, before anything is sent.
  await page.locator("#root_q").fill("2");
  await page.locator("#root_data").fill("data.csv");
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page.getByText("Must be at most 1.")).toBeVisible();
  await expect(page.getByText("This parameter is required.")).toBeVisible();
  await expect(page.getByText("Must be the id of an uploaded file.")).toBeVisible();
  await expect(page).toHaveURL(/\/applications\/echo-args\/launch/);
  await page.screenshot({ path: `${ARTIFACTS}/apps-01-validation.png`, fullPage: true });

  await page.locator("#root_label").fill(LABEL);
  await page.locator("#root_q").fill("0.25");
  await page.locator("#root_model").selectOption("two");
  await page.getByLabel("Upload a file").setInputFiles({
    name: "data.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("x,y\n1,2\n"),
  });
  await expect(page.getByText("data.csv uploaded.")).toBeVisible();
  await expect(page.locator("#root_data")).toHaveValue(/^[0-9a-f-]{36}$/);
  expect(await cspViolations()).toEqual([]);
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.locator(".badge[data-status='succeeded']").first()).toBeVisible({
    timeout: 90_000,
  });
  const id = page.url().split("/").pop() as string;
  const log = await page.request.get(`/api/jobs/${id}/log.txt`);
  // Python's repr of the label: one argv item, quoted with " as it holds a '.
  expect(await log.text()).toBe(
    `${JSON.stringify(LABEL)}\n'0.25'\n'two'\n'in/data.csv'\nx,y\n1,2\n`,
  );

  // Edit and rerun reopens the form with the same values.
  await page.getByRole("link", { name: "Edit and rerun" }).click();
  await expect(page.locator("#root_label")).toHaveValue(LABEL);
  await expect(page.locator("#root_q")).toHaveValue("0.25");
});

test("a 6-job sweep fills its grid", async () => {
  await page.goto("/applications/echo-args/launch");
  await page.getByLabel("Server").selectOption({ label: "apps-sshd" });
  await page.getByLabel("Sweep: one job per combination of values").check();
  const vary = page.getByRole("group", { name: "Vary" });
  await vary.getByRole("checkbox", { name: "Q" }).check();
  await vary.getByLabel("Values of Q").fill("0.1, 0.2, 5");
  await expect(vary.getByText("5: Must be at most 1.")).toBeVisible();
  await vary.getByLabel("Values of Q").fill("0.1, 0.2, 0.3");
  await vary.getByRole("checkbox", { name: "Model" }).check();
  await vary.getByLabel("Values of Model").fill("one, two");
  await expect(vary.getByText("6 jobs")).toBeVisible();
  await page.locator("#root_label").fill("sweep");
  await page.getByRole("button", { name: "Launch 6 jobs" }).click();
  await expect(page).toHaveURL(/\/sweeps\/[0-9a-f-]{36}$/);
  const tiles = page.getByRole("list", { name: "Sweep jobs" }).getByRole("link");
  await expect(tiles).toHaveCount(6);
  await expect(tiles.and(page.locator("[data-status='succeeded']"))).toHaveCount(6, {
    timeout: 120_000,
  });
  await expect(page.getByRole("list", { name: "Jobs by status" })).toHaveText("succeeded: 6");
  await expect(tiles.first()).toContainText("q=0.1 model=one");
  expect(await cspViolations()).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/apps-02-sweep.png`, fullPage: true });
});
