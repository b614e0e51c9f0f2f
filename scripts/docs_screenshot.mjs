// Takes docs/img/job.png: a job page with its live log and metric chart.
// Start a stack with `.venv/bin/python tests/e2e/run.py --serve`, then pass the values it
// prints: `env $(cat vars) node scripts/docs_screenshot.mjs`.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "frontend", "package.json"));
const { chromium } = require("playwright-core");

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env("E2E_BASE_URL");
const admin = env("E2E_ADMIN_USER");
const password = env("E2E_ADMIN_PASSWORD");

async function api(method, url, token, body) {
  const response = await fetch(`${base}/api/${url}`, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Token ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Reuses what an earlier run made on the same stack.
async function ensure(url, token, body) {
  const existing = await api("GET", url, token);
  const rows = Array.isArray(existing) ? existing : existing.results;
  return rows.find((row) => row.name === body.name) ?? api("POST", url, token, body);
}

const { token } = await api("POST", "auth/token/", null, { username: admin, password });
const interpreter = await ensure("interpreters/", token, {
  name: "python3",
  path: "/usr/bin/env",
  arguments: ["python3", "-u"],
});
const server = await ensure("servers/", token, {
  name: "analysis-01",
  hostname: env("E2E_SSH_HOST"),
  port: Number(env("E2E_SSH_PORT")),
  interpreters: [interpreter.id],
});
const scanned = await api("POST", `servers/${server.id}/scan-host-key/`, token, {});
await api("PATCH", `servers/${server.id}/`, token, { host_key: scanned.key });
const credential = await ensure("credentials/", token, {
  server: server.id,
  name: "my key",
  username: env("E2E_SSH_USER"),
  kind: "key",
  private_key: readFileSync(env("E2E_SSH_KEY_FILE"), "utf8"),
});
const program = `import json, math, os, sys, time
print("fitting a two-layer model to run1.dat")
with open(os.environ["DRS_METRICS"], "a") as m:
    for step in range(1, 400):
        chi2 = 4.0 * math.exp(-step / 25) + 1.1 + 0.05 * math.sin(step)
        print(f"step {step:4d}  chi2 {chi2:.4f}  thickness {52.3 + 8 * math.exp(-step / 40):.2f} A")
        if step % 17 == 0:
            print(f"warning: step {step}: roughness at its bound", file=sys.stderr)
        m.write(json.dumps({"step": step, "chi2": chi2, "progress": step / 399}) + "\\n")
        m.flush()
        time.sleep(0.2)
`;
const job = await api("POST", "jobs/", token, {
  title: "reflectivity fit, run 1",
  server: server.id,
  credential: credential.id,
  interpreter: interpreter.id,
  program,
  result_patterns: ["*.json"],
});

const browser = await chromium.launch({
  executablePath: process.env.E2E_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    colorScheme: "light",
  });
  await page.goto(`${base}/`);
  await page.getByLabel("Username").fill(admin);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.goto(`${base}/jobs/${job.id}`);
  await page.getByText("step  60 ").first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(root, "docs", "img", "job.png") });
  console.log(`docs/img/job.png: job ${job.id}`);
} finally {
  await browser.close();
}
