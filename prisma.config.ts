// Prisma CLI configuration (Prisma 7). Only `prisma generate` is used on machines
// without the schema engine; migrations are applied by scripts/migrate.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/sales_agent" },
});
