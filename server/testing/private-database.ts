// A database of the test file's own on the shared PostgreSQL: `<test database>_<suffix>`,
// dropped, created and migrated from scratch. For tests whose code under test reads whole
// tables (the lost-job recovery picks up every unfinished scan), where the shared test
// database holds other files' rows left QUEUED on purpose. Sets DATABASE_URL, so call it
// before the app's modules load (the env is read once per process).
import { dropDatabase, ensureDatabase, migrate } from "../../scripts/lib/database";

export async function usePrivateDatabase(suffix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const url = new URL(base);
  url.pathname = `${base.pathname}_${suffix}`;
  const target = url.toString();
  await dropDatabase(target);
  await ensureDatabase(target);
  await migrate(target);
  process.env.DATABASE_URL = target;
  return { url: target, drop: () => dropDatabase(target) };
}
