// `npm test`: everything, against real services.
//  1. PostgreSQL and Redis (found or started), Prisma client generated.
//  2. vitest: unit + integration tests on a fresh test database.
//  3. Playwright: a production build (`next build` + `npm start`, 2 web processes) with a real worker
//     process, on a fresh e2e database, in Debian's Chromium.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ensureServices } from "./lib/services";
import { dropDatabase, ensureDatabase, migrate } from "./lib/database";
import { prismaGenerate } from "./lib/prisma-generate";
import { ensureChromium } from "./lib/chromium";
import { flushPrefix } from "./test-global-setup";
import { auditProductionDependencies } from "./lib/audit";
import { blankDotenvKeys } from "./lib/blank-dotenv";

const ROOT = path.resolve(__dirname, "..");
// Our own flags; anything else goes to Playwright, e.g.
// `npm run test:e2e -- e2e/auth.spec.ts --repeat-each=20`.
const OWN_FLAGS = ["--e2e-only", "--unit-only"];
const args = new Set(process.argv.slice(2).filter((a) => OWN_FLAGS.includes(a)));
const playwrightArgs = process.argv.slice(2).filter((a) => !OWN_FLAGS.includes(a));
const say = (m: string) => console.log(`\x1b[35m[test]\x1b[0m ${m}`);

function step(name: string, cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv): void {
  say(name);
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, env, stdio: "inherit" });
  if (r.status !== 0) {
    say(`${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function fakeServices(webPort: number): Record<string, string> {
  const tg = webPort + 91;
  return {
    E2E_FAKE_TELEGRAM_PORT: String(tg),
    E2E_FAKE_HUBSPOT_PORT: String(tg + 1),
    E2E_FAKE_READY_PORT: String(tg + 2),
    TELEGRAM_BOT_TOKEN: "424242:e2e-fake-token-abcdefghijklmnop",
    TELEGRAM_API_ROOT: `http://127.0.0.1:${tg}`,
    TELEGRAM_WEBHOOK_SECRET: "e2e-webhook-secret-0123456789",
    TELEGRAM_BOT_USERNAME: "sales_agent_e2e_bot",
    HUBSPOT_API_BASE: `http://127.0.0.1:${tg + 1}`,
    INTEGRATION_RETRY_BASE_MS: "200",
  };
}

async function main() {
  const services = await ensureServices({ databaseUrl: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL, redisUrl: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL, log: say });
  prismaGenerate();
  // SA_SKIP_DOTENV: the worker, the web and the CLIs the tests start ignore a developer's .env (scripts/lib/load-dotenv.ts).
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true", SA_SKIP_DOTENV: "1" };
  const node = process.execPath;

  if (!args.has("--e2e-only")) {
    const audit = auditProductionDependencies();
    if (audit.status === "failed") {
      say(`npm audit: high or critical advisories with a fix:\n  ${audit.findings.join("\n  ")}`);
      process.exit(1);
    }
    say(audit.status === "ok" ? "npm audit: no high or critical advisories with a fix" : `npm audit skipped: ${audit.note}`);

    step("unit and integration tests (vitest)", node, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run"], {
      ...baseEnv,
      TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? withDb(services.databaseUrl, "sales_agent_test"),
      TEST_REDIS_URL: services.redisUrl,
    });
  }
  if (args.has("--unit-only")) return;

  const chromium = ensureChromium(say);
  const e2eDb = withDb(services.databaseUrl, process.env.E2E_DATABASE_NAME ?? "sales_agent_e2e");
  say(`fresh e2e database ${new URL(e2eDb).pathname.slice(1)}`);
  await dropDatabase(e2eDb);
  await ensureDatabase(e2eDb);
  await migrate(e2eDb);

  // Old heartbeats or jobs from an earlier run would make the new worker look ready.
  const e2ePrefix = process.env.E2E_QUEUE_PREFIX ?? "{sa-e2e}";
  await flushPrefix(services.redisUrl, e2ePrefix);

  const port = process.env.E2E_PORT ?? "3100";
  // blankDotenvKeys: Next reads the checkout's .env in the e2e web processes; every variable it names is set
  // to "" (unset for server/env.ts), so a developer's .env does not change the run (scripts/lib/blank-dotenv.ts).
  const e2eEnv: NodeJS.ProcessEnv = blankDotenvKeys(ROOT, {
    ...baseEnv,
    DATABASE_URL: e2eDb,
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: e2ePrefix,
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    STORAGE_DIR: path.join(ROOT, ".data/e2e-storage"),
    E2E_PORT: port,
    CHROMIUM_PATH: chromium,
    // Telegram and HubSpot point at local fakes (e2e/fake-services.ts).
    ...fakeServices(Number(port)),
    // Campaign mail goes to the SMTP sink that playwright.config.ts starts.
    E2E_SMTP_PORT: process.env.E2E_SMTP_PORT ?? "2526",
    SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT ?? "2526"}`,
  });
  execFileSync(node, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "prisma/seed.ts"], { cwd: ROOT, env: { ...e2eEnv, NODE_ENV: "development" }, stdio: "inherit" });
  // NODE_ENV is left to Next: `next build` sets production itself.
  const { NODE_ENV: _omit, ...buildEnv } = e2eEnv;
  step("production build (next build)", node, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], buildEnv as NodeJS.ProcessEnv);
  step("tRPC bundle for npm start (scripts/build-trpc.ts)", node, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/build-trpc.ts"], buildEnv as NodeJS.ProcessEnv);
  step("end-to-end tests (playwright)", node, [path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test", ...playwrightArgs], { ...buildEnv, NODE_ENV: "production" });
  say("all tests passed");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
