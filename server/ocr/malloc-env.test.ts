import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { missingMallocEnv, OCR_MALLOC_ENV, usesGlibc } from "./malloc-env";

const ROOT = path.resolve(__dirname, "../..");

describe("OCR malloc settings", () => {
  it("`npm run worker` starts the worker with every one of them", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    for (const [k, v] of Object.entries(OCR_MALLOC_ENV)) expect(pkg.scripts.worker).toContain(`${k}=${v} `);
  });

  it("names the missing ones on glibc, and none elsewhere", () => {
    const all = Object.keys(OCR_MALLOC_ENV);
    expect(missingMallocEnv({ ...OCR_MALLOC_ENV })).toEqual([]);
    expect(missingMallocEnv({})).toEqual(usesGlibc() ? all : []);
    expect(missingMallocEnv({ MALLOC_ARENA_MAX: "4" })).toEqual(usesGlibc() ? all.filter((k) => k !== "MALLOC_ARENA_MAX") : []);
  });
});
