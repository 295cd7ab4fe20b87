// Runs `prisma generate`. Prisma 7's CLI tries to download its schema engine on every
// command; generation never uses it, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file lets it run offline.
import { execFileSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export function prismaGenerate(): void {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
}
