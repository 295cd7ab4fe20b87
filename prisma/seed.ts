// `npm run db:seed`: idempotent demo data (refuses to run in production).
import "../scripts/lib/load-dotenv";
import { getEnv } from "../server/env";
import { closeDb, getDb } from "../server/db";
import { seed } from "./seed-data";

async function main() {
  const env = getEnv();
  const r = await seed(getDb(), { production: env.NODE_ENV === "production" });
  console.log(`seed: ${r.users} users and ${r.contacts} contacts created (existing ones kept)`);
}

main()
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
