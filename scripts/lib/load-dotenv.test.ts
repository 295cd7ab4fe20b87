// One .env for every process: the worker, the dev launcher and the CLIs load it as the web does,
// and a variable set in the environment wins over the file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "sa-dotenv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs loadDotenv(dir) in a fresh Node process and returns the variables it then sees. */
function envAfterLoading(env: NodeJS.ProcessEnv, reload = true): Record<string, string | undefined> {
  const script = `const { loadDotenv } = require(${JSON.stringify(path.join(ROOT, "scripts/lib/load-dotenv.ts"))}); loadDotenv(${JSON.stringify(dir)}, ${reload});
    console.log(JSON.stringify({ a: process.env.SA_DOTENV_A, b: process.env.SA_DOTENV_B, c: process.env.SA_DOTENV_C }));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("load-dotenv", () => {
  it("reads .env, lets .env.production override it in production, and never overrides the environment", () => {
    writeFileSync(path.join(dir, ".env"), "SA_DOTENV_A=from-file\nSA_DOTENV_B=from-file\nSA_DOTENV_C=base\n");
    writeFileSync(path.join(dir, ".env.production"), "SA_DOTENV_C=production\n");
    expect(envAfterLoading({ NODE_ENV: "production", SA_DOTENV_B: "from-env" })).toEqual({ a: "from-file", b: "from-env", c: "production" });
    expect(envAfterLoading({ NODE_ENV: "development" })).toEqual({ a: "from-file", b: "from-file", c: "base" });
  });

  it("is skipped under npm test (SA_SKIP_DOTENV=1): a developer's .env does not change a test run", () => {
    writeFileSync(path.join(dir, ".env"), "SA_DOTENV_A=from-file\n");
    expect(envAfterLoading({ NODE_ENV: "production", SA_SKIP_DOTENV: "1" }, false)).toEqual({});
  });

  it("reads a line without a value (KEY=, as in a copied .env.example) as not set; an empty variable in the environment stays", () => {
    writeFileSync(path.join(dir, ".env"), "SA_DOTENV_A=\nSA_DOTENV_B=from-file\nSA_DOTENV_C=\n");
    // JSON drops undefined: A is gone, not "", so `process.env.SA_DOTENV_A ?? fallback` gets the fallback.
    expect(envAfterLoading({ NODE_ENV: "production", SA_DOTENV_C: "" })).toEqual({ b: "from-file", c: "" });
  });

  it.each(["worker/index.ts", "scripts/dev.ts", "scripts/migrate.ts", "scripts/create-user.ts", "prisma/seed.ts"])("%s loads it before anything else", (file) => {
    const firstImport = readFileSync(path.join(ROOT, file), "utf8").split("\n").find((l) => l.startsWith("import "));
    expect(firstImport).toMatch(/^import "(\.\.\/scripts|\.)\/lib\/load-dotenv";$/);
  });
});
