import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "./env";
import { readDevSecret } from "./dev-secret";

describe("environment", () => {
  it("refuses to start in production without NEXTAUTH_SECRET", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET is required/);
  });

  it("accepts production with a secret", () => {
    expect(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32) }).NEXTAUTH_SECRET).toBe("s".repeat(32));
  });

  it("names every invalid variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "not a url", DB_POOL_SIZE: "0" })).toThrow(/DATABASE_URL[\s\S]*DB_POOL_SIZE|DB_POOL_SIZE[\s\S]*DATABASE_URL/);
  });

  it("treats empty values as unset and applies defaults", () => {
    const env = parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20), REDIS_URL: "" });
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.QUEUE_PREFIX).toBe("{sa}");
  });

  it("generates a dev secret once and keeps it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sa-secret-"));
    const a = readDevSecret(dir);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(readDevSecret(dir)).toBe(a);
  });
});
