// The S3 storage driver against a real S3-compatible server (s3rver, in this process, on
// port 4561): the same contract as the local driver — round trip, overwrite, missing key
// → NOT_FOUND, idempotent delete, unsafe keys refused before any request — plus the
// failures: an unreachable server or a missing bucket is UNAVAILABLE (503), not a 500.
// Also: STORAGE_DRIVER=s3 in the env selects it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { S3Storage } from "./s3-storage";
import { AppError } from "../errors";
import { parseEnv } from "../env";

// s3rver ships no type declarations: describe the little we use.
interface S3rverServer { run(): Promise<unknown>; close(): Promise<unknown> }
type S3rverCtor = new (opts: { port: number; address: string; silent: boolean; directory: string; configureBuckets: { name: string; configs: string[] }[] }) => S3rverServer;
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverCtor;

const PORT = 4561;
const BUCKET = "sa-test-cards";
const endpoint = `http://127.0.0.1:${PORT}`;
let dir: string;
let server: S3rverServer;
let storage: S3Storage;
const clients: S3Storage[] = [];

const make = (over: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) => {
  const s = new S3Storage({ bucket: BUCKET, endpoint, region: "us-east-1", forcePathStyle: true, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", ...over });
  clients.push(s);
  return s;
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sa-s3rver-"));
  server = new S3rver({ port: PORT, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  await server.run();
  storage = make();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("S3Storage round trip (s3rver)", () => {
  it("stores, reads, reports and deletes bytes under nested keys", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await storage.put("scans/u1/s1/original.jpg", bytes);
    expect(await storage.exists("scans/u1/s1/original.jpg")).toBe(true);
    expect(await storage.get("scans/u1/s1/original.jpg")).toEqual(bytes);
    await storage.delete("scans/u1/s1/original.jpg");
    expect(await storage.exists("scans/u1/s1/original.jpg")).toBe(false);
  });

  it("overwrites: a read sees the whole new object", async () => {
    await storage.put("scans/u1/s2/original.png", Buffer.from("first"));
    await storage.put("scans/u1/s2/original.png", Buffer.from("second"));
    expect((await storage.get("scans/u1/s2/original.png")).toString()).toBe("second");
  });

  it("round-trips a real card photo byte for byte", async () => {
    const photo = fs.readFileSync(path.resolve(__dirname, "../../bench/ocr-cards/own-01.jpg"));
    await storage.put("scans/u1/s3/original.jpg", photo);
    expect((await storage.get("scans/u1/s3/original.jpg")).equals(photo)).toBe(true);
  });

  it("a missing key reads as AppError NOT_FOUND and exists says no", async () => {
    const err = await storage.get("scans/u1/missing/original.jpg").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "NOT_FOUND" });
    expect(await storage.exists("scans/u1/missing/original.jpg")).toBe(false);
  });

  it("deleting a missing key is not an error", async () => {
    await expect(storage.delete("scans/u1/never/original.jpg")).resolves.toBeUndefined();
  });

  it("a key prefix keeps the objects apart", async () => {
    const a = make({ prefix: "tenant-a/" });
    await a.put("scans/u1/p/original.jpg", Buffer.from("a"));
    expect(await a.exists("scans/u1/p/original.jpg")).toBe(true);
    expect(await storage.exists("scans/u1/p/original.jpg")).toBe(false);
    expect(await storage.exists("tenant-a/scans/u1/p/original.jpg")).toBe(true);
  });
});

describe("S3Storage refuses unsafe keys (before any request)", () => {
  it.each([["../x"], ["a/../../etc/passwd"], ["/etc/passwd"], ["scans/./x.jpg"], [".."], [""], ["scans//x.jpg"], ["scans\\..\\x"], ["Scans/UPPER.jpg"]])("put/get/delete(%j) throw; exists says no", async (key) => {
    await expect(storage.put(key, Buffer.from("evil"))).rejects.toThrow(/unsafe storage key/);
    await expect(storage.get(key)).rejects.toThrow(/unsafe storage key/);
    await expect(storage.delete(key)).rejects.toThrow(/unsafe storage key/);
    expect(await storage.exists(key)).toBe(false);
  });
});

describe("S3Storage failures are clear 503s", () => {
  it("an unreachable server: put, get and exists answer UNAVAILABLE with a Retry-After", async () => {
    const down = make({ endpoint: "http://127.0.0.1:4569" }); // nothing listens there
    for (const op of [() => down.put("scans/u1/x/original.jpg", Buffer.from("x")), () => down.get("scans/u1/x/original.jpg"), () => down.exists("scans/u1/x/original.jpg")]) {
      const err = await op().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
      expect((err as AppError).retryAfter).toBeGreaterThan(0);
    }
  });

  it("a bucket that does not exist: put answers UNAVAILABLE, not NOT_FOUND or a 500", async () => {
    const wrong = make({ bucket: "no-such-bucket" });
    const err = await wrong.put("scans/u1/y/original.jpg", Buffer.from("y")).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
  });
});

describe("selecting the driver by environment", () => {
  it("STORAGE_DRIVER=s3 reads the S3_* settings; a bucket is required", () => {
    const env = parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(32), STORAGE_DRIVER: "s3", S3_BUCKET: BUCKET, S3_ENDPOINT: endpoint, S3_FORCE_PATH_STYLE: "true" });
    expect(env).toMatchObject({ STORAGE_DRIVER: "s3", S3_BUCKET: BUCKET, S3_ENDPOINT: endpoint, S3_FORCE_PATH_STYLE: true, S3_REGION: "us-east-1" });
    expect(() => parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(32), STORAGE_DRIVER: "s3" })).toThrow(/S3_BUCKET/);
    expect(parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(32) }).STORAGE_DRIVER).toBe("local");
  });
});
