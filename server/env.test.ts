import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hasHashTag, parseEnv } from "./env";
import { readDevSecret } from "./dev-secret";

describe("environment", () => {
  it("refuses to start in production without NEXTAUTH_SECRET", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET is required/);
  });

  it("accepts production with a secret and the public URL", () => {
    const env = parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), NEXTAUTH_URL: "https://sales.example.com" });
    expect(env.NEXTAUTH_SECRET).toBe("s".repeat(32));
    expect(env.NEXTAUTH_URL).toBe("https://sales.example.com");
  });

  it("refuses production without NEXTAUTH_URL rather than mail links to http://localhost:3000", () => {
    for (const url of [undefined, ""]) {
      expect(() => parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), NEXTAUTH_URL: url })).toThrow(/NEXTAUTH_URL is required in production/);
    }
    // Development keeps its default.
    expect(parseEnv({ NODE_ENV: "development", NEXTAUTH_SECRET: "s".repeat(32) }).NEXTAUTH_URL).toBe("http://localhost:3000");
  });

  it("names every invalid variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "not a url", DB_POOL_SIZE: "0" })).toThrow(/DATABASE_URL[\s\S]*DB_POOL_SIZE|DB_POOL_SIZE[\s\S]*DATABASE_URL/);
  });

  it("LOST_JOB_CHECK_MS: 30 s by default; zero, negative, fractional, non-numeric and over an hour are refused", () => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20) };
    expect(parseEnv(base).LOST_JOB_CHECK_MS).toBe(30_000);
    expect(parseEnv({ ...base, LOST_JOB_CHECK_MS: "1000" }).LOST_JOB_CHECK_MS).toBe(1000);
    for (const bad of ["0", "-5", "1.5", "soon", "3600001"]) expect(() => parseEnv({ ...base, LOST_JOB_CHECK_MS: bad }), bad).toThrow(/LOST_JOB_CHECK_MS/);
  });

  it("WORKER_SHUTDOWN_TIMEOUT_MS, OCR_WORKERS and WORKER_HEARTBEAT_MAX_AGE_MS: values a timer or a pool cannot use stop the start naming them", () => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20) };
    expect(parseEnv(base)).toMatchObject({ WORKER_SHUTDOWN_TIMEOUT_MS: 25_000, WORKER_HEARTBEAT_MAX_AGE_MS: 30_000 });
    expect(parseEnv(base).OCR_WORKERS).toBeUndefined();
    for (const bad of ["abc", "25s", "-1", "0", "3000000000", "1.5"]) expect(() => parseEnv({ ...base, WORKER_SHUTDOWN_TIMEOUT_MS: bad })).toThrow(/WORKER_SHUTDOWN_TIMEOUT_MS/);
    for (const bad of ["abc", "0", "2.5"]) expect(() => parseEnv({ ...base, OCR_WORKERS: bad })).toThrow(/OCR_WORKERS/);
    expect(() => parseEnv({ ...base, WORKER_HEARTBEAT_MAX_AGE_MS: "2000" })).toThrow(/WORKER_HEARTBEAT_MAX_AGE_MS/);
    expect(parseEnv({ ...base, WORKER_SHUTDOWN_TIMEOUT_MS: "5000", OCR_WORKERS: "2" })).toMatchObject({ WORKER_SHUTDOWN_TIMEOUT_MS: 5_000, OCR_WORKERS: 2 });
  });

  it("UNSUBSCRIBE_SECRET: optional, blank is unset, shorter than 16 characters stops the start naming it", () => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20) };
    expect(parseEnv(base).UNSUBSCRIBE_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, UNSUBSCRIBE_SECRET: "" }).UNSUBSCRIBE_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, UNSUBSCRIBE_SECRET: "   " }).UNSUBSCRIBE_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, UNSUBSCRIBE_SECRET: "k".repeat(16) }).UNSUBSCRIBE_SECRET).toBe("k".repeat(16));
    for (const short of ["x", "k".repeat(15)]) expect(() => parseEnv({ ...base, UNSUBSCRIBE_SECRET: short }), short).toThrow(/UNSUBSCRIBE_SECRET: at least 16 characters/);
  });

  it("treats empty values as unset and applies defaults", () => {
    const env = parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20), REDIS_URL: "" });
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.QUEUE_PREFIX).toBe("{sa}");
  });

  it("parses REDIS_CLUSTER_NODES into seed nodes, and leaves it unset by default", () => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20) };
    expect(parseEnv(base).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv({ ...base, REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b.internal:7001,[::1]:7002" }).REDIS_CLUSTER_NODES).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b.internal", port: 7001 },
      { host: "::1", port: 7002 },
    ]);
    expect(() => parseEnv({ ...base, REDIS_CLUSTER_NODES: "10.0.0.1" })).toThrow(/REDIS_CLUSTER_NODES.*host:port/);
    expect(() => parseEnv({ ...base, REDIS_CLUSTER_NODES: "a:70000" })).toThrow(/REDIS_CLUSTER_NODES.*port out of range/);
    expect(() => parseEnv({ ...base, REDIS_CLUSTER_NODES: "a:7000", REDIS_URL: "redis://x:6379/2" })).toThrow(/only database 0/);
  });

  it.each([
    ["only commas", ",, ,", /at least one host:port/],
    ["a shell command", "127.0.0.1:7000;rm -rf /", /host:port/],
    ["a URL instead of host:port", "redis://127.0.0.1:7000", /host:port/],
    ["a port of zero", "127.0.0.1:0", /port out of range/],
    ["a 100 KB value", "a".repeat(100_000), /host:port/],
  ])("refuses REDIS_CLUSTER_NODES given %s, naming the variable", (_n, value, reason) => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20) };
    expect(() => parseEnv({ ...base, REDIS_CLUSTER_NODES: value })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => parseEnv({ ...base, REDIS_CLUSTER_NODES: value })).toThrow(reason);
  });

  it("refuses REDIS_CLUSTER_NODES with a QUEUE_PREFIX that has no hash tag", () => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20), REDIS_CLUSTER_NODES: "127.0.0.1:7000" };
    expect(() => parseEnv({ ...base, QUEUE_PREFIX: "sa" })).toThrow(/QUEUE_PREFIX.*hash tag/);
    expect(() => parseEnv({ ...base, QUEUE_PREFIX: "{}sa" })).toThrow(/hash tag/);
    expect(parseEnv({ ...base, QUEUE_PREFIX: "prod{sa}" }).QUEUE_PREFIX).toBe("prod{sa}");
    // Without a cluster any prefix is accepted, as before.
    expect(parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(20), QUEUE_PREFIX: "sa" }).QUEUE_PREFIX).toBe("sa");
    // Redis's rule: the first "{", then the first "}" after it, not empty.
    expect([hasHashTag("{sa}"), hasHashTag("a{b}c"), hasHashTag("{a{b}"), hasHashTag("sa}{"), hasHashTag("{}{sa}"), hasHashTag("sa{")]).toEqual([true, true, true, false, false, false]);
  });

  it("generates a dev secret once and keeps it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sa-secret-"));
    const a = readDevSecret(dir);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(readDevSecret(dir)).toBe(a);
  });
});
