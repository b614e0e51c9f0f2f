// Playwright for DRS: Debian's Chromium, never a downloaded browser. Ports and
// credentials come from tests/e2e/run.py through the environment (the config is re-read
// in each worker, so it must not pick ports itself).
import { defineConfig } from "@playwright/test";

const artifacts = process.env.E2E_ARTIFACTS ?? "../../test-artifacts";

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  outputDir: `${artifacts}/playwright`,
  use: {
    baseURL: process.env.E2E_BASE_URL,
    viewport: { width: 1280, height: 860 },
    screenshot: "only-on-failure",
    trace: "off",
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
