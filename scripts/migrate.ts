// `npm run db:migrate`: create the database if needed and apply pending SQL migrations.
import "./lib/load-dotenv";
import { ensureDatabase, migrate } from "./lib/database";
import { getEnv } from "../server/env";

async function main() {
  const url = getEnv().DATABASE_URL;
  if (await ensureDatabase(url)) console.log(`created database ${new URL(url).pathname.slice(1)}`);
  const r = await migrate(url, (m) => console.log(m));
  for (const w of r.warnings) console.warn(`warning: ${w}`);
  console.log(`migrations: ${r.applied.length} applied, ${r.skipped.length} already applied`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
