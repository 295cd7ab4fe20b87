// The .env files, read as `next dev` / `npm start` read them for the web (Next's own loader:
// .env, .env.local, .env.development or .env.production; a variable already set in the
// environment wins), so one .env configures the worker, the dev launcher and the CLIs too.
// Before this, only the web read it: a worker configured through .env alone ran in
// development mode with its own secret, and every unsubscribe link it signed was refused.
// Imported first by each entry point, before anything reads a setting.
import path from "node:path";
import { loadEnvConfig } from "@next/env";
import { forgetEmptyDotenvValues } from "./forget-empty-dotenv.cjs";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/**
 * `reload`: read again from `dir` (Next's loader otherwise keeps its first answer for the process).
 * SA_SKIP_DOTENV=1 (set by `npm test` for everything it starts): a developer's .env must not change a test run.
 */
export function loadDotenv(dir = REPO_ROOT, reload = false): void {
  if (process.env.SA_SKIP_DOTENV === "1" && !reload) return;
  const { parsedEnv } = loadEnvConfig(dir, process.env.NODE_ENV !== "production", { info() {}, error: (...a: unknown[]) => console.error(...a) }, reload);
  forgetEmptyDotenvValues(parsedEnv); // `KEY=` lines mean "not set" (forget-empty-dotenv.cjs)
}

loadDotenv();
