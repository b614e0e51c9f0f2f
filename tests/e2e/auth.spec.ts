// Signing in and out, and what a user who is not staff may see.
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { Api, env, fillSignIn, type Paged, setUpServer, shot } from "./fixtures";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let api: Api;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
  api = new Api(page);
});

test.afterAll(async () => {
  await context.close();
});

test("sign in", async () => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in to DRS" })).toBeVisible();
  await shot(page, "01-sign-in");
  await page.getByLabel("Username").fill(env("E2E_ADMIN_USER"));
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText(/wrong username or password/i);
  await page.getByLabel("Password").fill(env("E2E_ADMIN_PASSWORD"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "API docs" })).toHaveAttribute("href", "/api/docs/");
  await shot(page, "02-jobs-empty");
});

test("a non-staff user sees only their own jobs and cannot edit servers", async ({ browser }) => {
  // The admin's server and one job of theirs.
  const target = await setUpServer(api, "auth");
  const mine = await api.post<{ id: string }>("/api/jobs/", {
    title: "the admin's",
    program: "print('mine')",
    ...target,
  });
  await api.waitForEnd(mine.id);
  const other = await browser.newContext();
  const alice = await other.newPage();
  await alice.goto("/signin");
  await fillSignIn(alice, "alice");
  // No job of hers (another user's exist): the first-run checklist, not their jobs.
  await expect(alice.getByRole("heading", { name: "Your first job in five steps" })).toBeVisible();
  await alice.getByRole("link", { name: "Servers" }).click();
  const card = alice.getByRole("article", { name: "auth-sshd", exact: true });
  await expect(card).toBeVisible();
  await expect(card.getByRole("button", { name: "Check connection" })).toBeVisible();
  await expect(alice.getByRole("button", { name: "Add server" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Scan host key" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await shot(alice, "18-servers-non-staff");
  // Someone else's job is not found, not forbidden.
  const jobs = await api.get<Paged<{ id: string }>>("/api/jobs/");
  await alice.goto(`/jobs/${jobs.results[0]?.id}`);
  await expect(alice.getByRole("heading", { name: "Job not found" })).toBeVisible();
  await other.close();
});

test("sign out", async () => {
  await page.goto("/jobs");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/servers");
  await expect(page).toHaveURL(/\/signin\?next=%2Fservers/);
});
