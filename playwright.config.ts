// e2e against a production build (`npm start`: scripts/start-web.cjs, 2 processes) plus a real worker process, driven
// in Debian's Chromium. scripts/test.ts prepares the database and environment.
import { defineConfig } from "@playwright/test";
import { OCR_MALLOC_ENV } from "./server/ocr/malloc-env";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// The SMTP sink the worker sends campaign mail to; its HTTP list is on smtpPort + 1.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
      ],
    },
  },
  webServer: [
    {
      // Local fakes of Telegram's Bot API and HubSpot (see e2e/fake-services.ts).
      command: "node node_modules/tsx/dist/cli.mjs e2e/fake-services.ts",
      url: `http://127.0.0.1:${process.env.E2E_FAKE_READY_PORT ?? 3193}/`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // `npm start`'s launcher with two processes behind one port, as in production, so every
      // flow is also proven across processes (sessions, uploads, metrics summed by the primary).
      command: "node scripts/start-web.cjs",
      env: { PORT: String(port), WEB_CONCURRENCY: process.env.E2E_WEB_CONCURRENCY ?? "2" },
      url: `${baseURL}/login`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The worker has no port: wait until health, required to include its heartbeat, is 200.
      command: "node --import tsx worker/index.ts",
      url: `${baseURL}/api/health?require=worker`,
      // The malloc settings of `npm run worker` (server/ocr/malloc-env.ts).
      env: { SA_SERVICE: "worker", ...OCR_MALLOC_ENV },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `node node_modules/tsx/dist/cli.mjs scripts/mail-sink.ts --port ${smtpPort} --http-port ${smtpPort + 1} --dir .data/e2e-mail`,
      url: `http://127.0.0.1:${smtpPort + 1}/messages`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
