// A developer's .env does not reach the e2e web processes: Next's own loader (which `npm test`
// cannot switch off) finds every variable the file names already set, to "", and leaves it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blankDotenvKeys } from "./blank-dotenv";

const ROOT = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "sa-blank-dotenv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const asEnv = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

/** What Next's loader (@next/env, as `next start` runs it) leaves in a fresh process with `env`. */
function nextSees(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string | null> {
  const script = `const { loadEnvConfig } = require("@next/env"); loadEnvConfig(${JSON.stringify(dir)}, false, { info() {}, error() {} });
    console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(keys)}.map((k) => [k, process.env[k] ?? null]))));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("blankDotenvKeys", () => {
  it("keeps every variable a developer's .env files name away from Next, and what the test run set wins", () => {
    writeFileSync(path.join(dir, ".env"), "SA_BLANK_A=from-env-file\nexport SA_BLANK_B=\"quoted value\"\n# a comment\nSA_BLANK_C=from-env-file\nNODE_ENV=development\n");
    writeFileSync(path.join(dir, ".env.production.local"), "SA_BLANK_D=from-production-local\n");
    const keys = ["SA_BLANK_A", "SA_BLANK_B", "SA_BLANK_C", "SA_BLANK_D"];
    // Without it, Next would hand the file's values to the server.
    expect(nextSees(asEnv({ SA_BLANK_C: "set-by-the-test-run" }), keys)).toEqual({ SA_BLANK_A: "from-env-file", SA_BLANK_B: "quoted value", SA_BLANK_C: "set-by-the-test-run", SA_BLANK_D: "from-production-local" });
    const env = blankDotenvKeys(dir, asEnv({ SA_BLANK_C: "set-by-the-test-run" }));
    expect(env).toMatchObject({ SA_BLANK_A: "", SA_BLANK_B: "", SA_BLANK_C: "set-by-the-test-run", SA_BLANK_D: "" });
    expect(env.NODE_ENV).toBeUndefined(); // Next's own switch is left alone
    expect(nextSees(env, keys)).toEqual({ SA_BLANK_A: "", SA_BLANK_B: "", SA_BLANK_C: "set-by-the-test-run", SA_BLANK_D: "" });
  });

  it("changes nothing where there is no .env", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "sa-blank-dotenv-none-"));
    try {
      expect(blankDotenvKeys(empty, asEnv({ A: "1" }))).toEqual({ A: "1" });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
