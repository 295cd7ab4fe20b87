// PostgreSQL over TLS, as managed services require it: a PostgreSQL of the test's own
// (server/testing/private-postgres.ts) that only accepts encrypted TCP connections, with a
// certificate from a throwaway CA (server/testing/test-ca.ts). The app gets
// `DATABASE_URL=…?sslmode=verify-full&sslrootcert=/path/ca.pem`, and the migrations, the
// app's Prisma client and a real worker all work over it. Unencrypted or unverified
// connections are refused, so the server is really checked, not merely encrypted to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { filePrefix } from "./fault-helpers";
import { hasOpenssl, makeTestCertificates } from "../testing/test-ca";
import { hasPostgresBinaries, privatePostgres } from "../testing/private-postgres";
import { dropDatabase, ensureDatabase, migrate } from "../../scripts/lib/database";

const PG_PORT = 5443;
const DB = "sales_agent_tls";
const runnable = hasOpenssl() && hasPostgresBinaries();
const caDir = mkdtempSync(path.join(tmpdir(), "sa-pg-tls-ca-"));
const certs = runnable ? makeTestCertificates(caDir) : undefined;
const pg = privatePostgres(PG_PORT, { tls: certs });
const base = pg.url(DB);
const verified = `${base}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs?.caFile ?? "")}`;
// Set before the app's modules load (the env is read once per process); the worker inherits them.
process.env.DATABASE_URL = verified;
process.env.QUEUE_PREFIX = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "pgtls");

const { createDb, getDb, closeDb } = await import("../db");
const { closeQueues } = await import("../queues/definitions");
const { closeRedis } = await import("../redis");
const { createPing, getPing } = await import("../system/ping");
const { waitFor } = await import("../testing/worker-process");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;

const workers: WorkerProcess[] = [];

beforeAll(async () => {
  if (runnable) await pg.start();
}, 120_000);

afterAll(async () => {
  await helpers.killAll(workers);
  await closeQueues().catch(() => {});
  await closeRedis().catch(() => {});
  await closeDb().catch(() => {});
  await pg.destroy();
  rmSync(caDir, { recursive: true, force: true });
}, 120_000);

/** The first query's outcome on a fresh one-connection client of the app's kind. */
async function firstQuery(url: string): Promise<"ok" | string> {
  const db = createDb(url, 1);
  try {
    await db.$queryRaw`SELECT 1`;
    return "ok";
  } catch (e) {
    return String((e as Error).message);
  } finally {
    await db.$disconnect().catch(() => {});
  }
}

describe.skipIf(!runnable)("PostgreSQL that only accepts TLS (sslmode=verify-full, sslrootcert)", () => {
  it("the project's migrations create and migrate the database over TLS", async () => {
    await dropDatabase(verified);
    expect(await ensureDatabase(verified)).toBe(true);
    const r = await migrate(verified);
    expect(r.applied.length).toBeGreaterThan(0);
  }, 120_000);

  it("the app's Prisma client queries over an encrypted connection", async () => {
    const [row] = await getDb().$queryRaw<{ ssl: boolean; version: string }[]>`SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    expect(row).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
  });

  it("a real worker on the same DATABASE_URL stamps a ping row the web side created", async () => {
    workers.push(await helpers.startWorkerProcess({ DATABASE_URL: verified, QUEUE_PREFIX: process.env.QUEUE_PREFIX!, OCR_WORKERS: "1" }));
    const { id } = await createPing(getDb());
    const done = await waitFor(async () => {
      const p = await getPing(getDb(), id);
      return p.done ? p : undefined;
    }, "the worker to stamp the ping over TLS", 30_000, 100);
    expect(done.workerId).toMatch(/-\d+-/);
  }, 120_000);

  it("refused: no TLS (the server's rule), and TLS without trusting its CA (the client's check)", async () => {
    expect(await firstQuery(base)).toMatch(/no encryption|pg_hba/i);
    expect(await firstQuery(`${base}?sslmode=verify-full`)).toMatch(/unable to verify the first certificate|self[- ]signed certificate/i);
    // node-postgres reads sslmode=require as verify-full (unlike libpq): it verifies too.
    expect(await firstQuery(`${base}?sslmode=require`)).toMatch(/unable to verify the first certificate|self[- ]signed certificate/i);
  }, 60_000);
});
