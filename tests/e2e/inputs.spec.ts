// Job inputs in the browser: upload files (several, with progress) on the new-job form,
// edit a target path, use a result of an earlier job, see the inputs on the job page,
// and the Files page (size, age, delete).
import { createHash } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { type Api, setUpServer, useSession } from "./fixtures";

test.describe.configure({ mode: "serial" });

let page: Page;
let api: Api;

const DATA = Buffer.concat([Buffer.from([0, 1, 2, 0, 10, 255]), Buffer.alloc(300_000, 7)]);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

// Prints each argument's sha256 and writes a result, so a later job can take it as input.
const PROGRAM = `import hashlib, sys
for path in sys.argv[1:]:
    print(path, hashlib.sha256(open(path, "rb").read()).hexdigest())
open("fit.json", "w").write('{"chi2": 1.5}')
`;

useSession(async (session) => {
  ({ page, api } = session);
  await setUpServer(api, "inputs");
});

test("upload two inputs with progress, edit a path, and the job sees them byte-exact", async () => {
  // The new-job form's defaults are this spec's own server: run.py gives it its own stack.
  await page.goto("/jobs/new");
  await page.getByLabel("Program").fill(PROGRAM);
  await page.getByLabel("Arguments").fill("data/run1.dat\nnotes.txt");
  await page.getByLabel("Result patterns").fill("*.json");
  await page.getByLabel("Input files").setInputFiles([
    { name: "run1.dat", mimeType: "application/octet-stream", buffer: DATA },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello\n") },
  ]);
  const path = page.getByLabel("Path of run1.dat in the job directory");
  await expect(path).toHaveValue("run1.dat");
  await path.fill("data/run1.dat");
  await expect(page.getByRole("button", { name: "Submit job" })).toBeEnabled();
  await page.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop() ?? "";
  const job = await api.waitForEnd(id);
  expect(job.status, job.error).toBe("succeeded");
  await page.reload();
  const inputs = page.locator(".input-list");
  await expect(inputs.getByRole("link", { name: "data/run1.dat" })).toBeVisible();
  await expect(inputs).toContainText(sha256(DATA).slice(0, 12));
  await expect(page.getByTestId("log-view")).toContainText(`data/run1.dat ${sha256(DATA)}`);
});

test("a result of the earlier job is an input of the next", async () => {
  await page.goto("/jobs/new");
  await page.getByLabel("Program").fill(PROGRAM);
  await page.getByLabel("Arguments").fill("prev/fit.json");
  await page.getByRole("button", { name: "Use a result of an earlier job…" }).click();
  await page.getByLabel("Earlier job").selectOption({ index: 1 });
  await page.getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "Add results" }).click();
  const path = page.getByLabel(/^Path of .*fit\.json in the job directory$/);
  await expect(path).toHaveValue("fit.json");
  await path.fill("prev/fit.json");
  await page.getByRole("button", { name: "Submit job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop() ?? "";
  const job = await api.waitForEnd(id);
  expect(job.status, job.error).toBe("succeeded");
  const expected = sha256(Buffer.from('{"chi2": 1.5}'));
  await page.reload();
  await expect(page.getByTestId("log-view")).toContainText(`prev/fit.json ${expected}`);
  await expect(page.locator(".input-list")).toContainText("result of");
});

test("the Files page lists uploads with size and age; one in use is not deleted", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Files" }).click();
  await expect(page.getByRole("heading", { name: "Files" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "run1.dat" });
  await expect(row).toContainText("293 KiB");
  await expect(row).toContainText(/ago|now/);
  await row.getByRole("button", { name: "Delete run1.dat" }).click();
  await expect(page.getByRole("alert")).toContainText("Jobs use this file");
  await page.goto("/files");
  const upload = await page.request.post("/api/files/", {
    multipart: { file: { name: "spare.bin", mimeType: "application/octet-stream", buffer: DATA } },
    headers: await api.csrfHeaders(),
  });
  expect(upload.status()).toBe(201);
  await page.reload();
  await page.getByRole("button", { name: "Delete spare.bin" }).click();
  await expect(page.getByRole("row").filter({ hasText: "spare.bin" })).toHaveCount(0);
});
