// Staff set up where jobs run in the browser: interpreters, a server with its host key
// pinned, credentials (pasted or generated and deployed), and a server jobs still use.
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { type Api, env, type Paged, shot, ssh, useSession } from "./fixtures";

test.describe.configure({ mode: "serial" });

let page: Page;
let api: Api;

useSession(async (session) => {
  ({ page, api } = session);
});

test("staff adds an interpreter and a server, and pins its host key", async () => {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Servers" })
    .click();
  await expect(page.getByRole("heading", { name: "Servers" })).toBeVisible();

  // Arguments are a list: one box per argument, so spaces and quotes stay inside one.
  const interp = page.getByRole("form", { name: "Add interpreter" });
  await interp.getByLabel("Name", { exact: true }).fill("python3");
  await interp.getByLabel("Path").fill("/usr/bin/env");
  await interp.getByRole("button", { name: "Add argument" }).click();
  await interp.getByLabel("Argument 1", { exact: true }).fill("python3");
  await interp.getByRole("button", { name: "Add argument" }).click();
  await interp.getByLabel("Argument 2", { exact: true }).fill("-u");
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  // Beside the demo application's python3-demo, which runs the same command.
  await expect(page.getByText("/usr/bin/env python3 -u")).toHaveCount(2);

  // Edit and delete an interpreter; an argument with a space stays one argument.
  await interp.getByLabel("Name", { exact: true }).fill("spare");
  await interp.getByLabel("Path").fill("/bin/sh");
  await interp.getByRole("button", { name: "Add argument" }).click();
  await interp.getByLabel("Argument 1", { exact: true }).fill("-c");
  await interp.getByRole("button", { name: "Add interpreter" }).click();
  await page.getByRole("button", { name: "Edit interpreter spare" }).click();
  const edit = page.getByRole("form", { name: "Edit interpreter spare" });
  await edit.getByRole("button", { name: "Add argument" }).click();
  await edit.getByLabel("Argument 2", { exact: true }).fill("echo two words");
  await edit.getByRole("button", { name: "Save interpreter" }).click();
  await expect(page.getByText("/bin/sh -c 'echo two words'")).toBeVisible();
  const spare = (
    await api.get<Paged<{ name: string; arguments: string[] }>>("/api/interpreters/")
  ).results.find((i) => i.name === "spare");
  expect(spare?.arguments).toEqual(["-c", "echo two words"]);
  await page.getByRole("button", { name: "Delete interpreter spare" }).click();
  await expect(page.getByText("/bin/sh -c 'echo two words'")).toHaveCount(0);

  await page.getByRole("button", { name: "Add server" }).click();
  const form = page.getByRole("form", { name: "Add server" });
  await form.getByLabel("Name", { exact: true }).fill("sshd");
  await form.getByLabel("Hostname").fill(ssh.host);
  await form.getByLabel("Port").fill(ssh.port);
  await form.getByLabel("python3", { exact: true }).check();
  await form.getByRole("button", { name: "Add server" }).click();

  const card = page.getByRole("article", { name: "sshd", exact: true });
  await expect(card).toContainText("Not pinned");
  await card.getByRole("button", { name: "Scan host key" }).click();
  await expect(card.getByTestId("scanned-fingerprint")).toHaveText(ssh.fingerprint);
  await shot(page, "03-servers-scan-host-key");
  await card.getByRole("button", { name: "Approve and pin" }).click();
  await expect(card.getByTestId("pinned-fingerprint")).toHaveText(ssh.fingerprint);
  await expect(card).not.toContainText("Not pinned");
});

test("add a credential and check the connection", async () => {
  await page.getByRole("link", { name: "Credentials" }).click();
  await page.getByRole("button", { name: "Add credential" }).click();
  const form = page.getByRole("form", { name: "Add credential" });
  await form.getByLabel("Server").selectOption({ label: "sshd" });
  await form.getByLabel("Username").fill(ssh.user);
  await form.getByLabel("Name", { exact: true }).fill("e2e key");
  // A wrong key first: the API's field error shows next to the field.
  await form.getByRole("textbox", { name: "Private key" }).fill("not a key");
  await form.getByRole("button", { name: "Save credential" }).click();
  await expect(form.locator(".field.has-error")).toContainText("Private key");
  await form.getByRole("textbox", { name: "Private key" }).fill(ssh.privateKey);
  await form.getByRole("button", { name: "Save credential" }).click();
  await expect(page.getByRole("cell", { name: "e2e key", exact: true })).toBeVisible();
  await shot(page, "04-credentials");

  await page.getByRole("link", { name: "Servers" }).click();
  const card = page.getByRole("article", { name: "sshd", exact: true });
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("check-result")).toContainText(/Connected in \d+ ms/);
  await shot(page, "05-servers");
});

test("generate and deploy a key, then delete it with removal from the server", async () => {
  const user = env("E2E_SSH_PASSWORD_USER");
  const authorizedKeys = `${env("E2E_SSH_PASSWORD_USER_HOME")}/.ssh/authorized_keys`;
  await page.getByRole("link", { name: "Credentials" }).click();
  await page.getByRole("button", { name: "Generate and deploy a key" }).click();
  const form = page.getByRole("form", { name: "Generate and deploy a key" });
  await form.getByLabel("Server").selectOption({ label: "sshd" });
  await form.getByLabel("Username").fill(user);
  await form.getByLabel("Name", { exact: true }).fill("generated");
  await form.getByLabel("One-time password").fill(env("E2E_SSH_PASSWORD"));
  await form.getByRole("button", { name: "Generate and deploy" }).click();
  const installed = page.locator(".pubkey-block");
  await expect(installed).toContainText("ssh-ed25519 ");
  const publicKey = ((await installed.textContent()) ?? "").trim();
  const keyBody = publicKey.split(" ")[1] as string;
  expect(readFileSync(authorizedKeys, "utf8")).toContain(keyBody);
  await shot(page, "04b-credentials-generated");
  await page.getByRole("button", { name: "Done" }).click();

  await page.getByRole("button", { name: "Delete generated" }).click();
  await expect(page.getByLabel("Also remove its public key from the server")).toBeChecked();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByRole("cell", { name: "generated", exact: true })).toHaveCount(0);
  expect(readFileSync(authorizedKeys, "utf8")).not.toContain(keyBody);
});

test("deleting a server that jobs use shows why it cannot", async () => {
  // A job on the server, through the API.
  const servers = await api.get<Paged<{ id: number; name: string }>>("/api/servers/");
  const server = servers.results.find((s) => s.name === "sshd")?.id;
  const creds = await api.get<Paged<{ id: number; server: number }>>("/api/credentials/");
  const interps = await api.get<Paged<{ id: number; name: string }>>("/api/interpreters/");
  const job = await api.post<{ id: string }>("/api/jobs/", {
    title: "uses sshd",
    program: "print('in use')",
    server,
    credential: creds.results.find((c) => c.server === server)?.id,
    interpreter: interps.results.find((i) => i.name === "python3")?.id,
  });
  await api.waitForEnd(job.id);
  await page.goto("/servers");
  const card = page.getByRole("article", { name: "sshd", exact: true });
  await card.getByRole("button", { name: "Delete" }).click();
  await card.getByRole("button", { name: "Confirm delete" }).click();
  await expect(card.getByTestId("delete-error")).toContainText("Cannot delete sshd");
  await expect(card).toBeVisible();
  await shot(page, "05b-servers-delete-in-use");
});
