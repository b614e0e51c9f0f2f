// The SPA under its Content-Security-Policy (issue 32, D14): it signs in, renders its pages
// and opens its websocket with no violation; Swagger UI still works at /api/docs/.
import { expect, type Page, test } from "@playwright/test";
import { fillSignIn } from "./fixtures";

function collectViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("the SPA runs under a strict CSP", async ({ page }) => {
  const violations = collectViolations(page);
  const response = await page.goto("/");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  await expect(page.getByRole("heading", { name: "Sign in to DRS" })).toBeVisible();
  await fillSignIn(page);
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  // The stylesheet applied (a blocked one would leave the page unstyled).
  const margin = await page.locator("body").evaluate((el) => getComputedStyle(el).margin);
  expect(margin).toBe("0px");
  // The theme script (a file now, not inline) ran: switching theme persists across loads.
  await page.evaluate(() => localStorage.setItem("drs-theme", "dark"));
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.goto("/servers");
  await expect(page.getByRole("heading", { name: "Servers" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("Swagger UI still renders", async ({ page }) => {
  await page.goto("/api/docs/");
  await expect(page.getByText("DRS API").first()).toBeVisible();
});

test("API tokens: created (shown once), listed, revoked", async ({ page }) => {
  await page.goto("/");
  await fillSignIn(page);
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await page.goto("/credentials");
  const panel = page.getByRole("region", { name: "API tokens" });
  await panel.getByLabel("Token name").fill("\u202Egnp.exe");
  await panel.getByRole("button", { name: "Create token" }).click();
  const key = (await panel.getByTestId("new-token").textContent()) ?? "";
  expect(key).toMatch(/^drs_/);
  // The name shows its bidi control instead of obeying it.
  await expect(panel.getByRole("cell", { name: "<U+202E>gnp.exe" })).toBeVisible();
  const me = await page.request.get("/api/auth/me/", {
    headers: { Authorization: `Token ${key}` },
  });
  expect(me.status()).toBe(200);
  await panel.getByRole("button", { name: "Revoke \u202Egnp.exe" }).click();
  await expect(panel.getByRole("cell", { name: "<U+202E>gnp.exe" })).toHaveCount(0);
  const after = await page.request.get("/api/auth/me/", {
    headers: { Authorization: `Token ${key}` },
  });
  expect(after.status()).toBe(401);
});
