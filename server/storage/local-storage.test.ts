// The local-folder storage driver: round trip, atomic writes, keys that try to leave the
// root are refused, and an unwritable folder is a clear 503 instead of a masked 500.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStorage } from "./local-storage";
import { AppError } from "../errors";

let dir: string;
let storage: LocalStorage;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sa-local-storage-"));
  storage = new LocalStorage(path.join(dir, "root"));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("LocalStorage round trip", () => {
  it("stores, reads, reports and deletes bytes under nested keys", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await storage.put("scans/u1/s1/original.jpg", bytes);
    expect(await storage.exists("scans/u1/s1/original.jpg")).toBe(true);
    expect(await storage.get("scans/u1/s1/original.jpg")).toEqual(bytes);
    expect(fs.readFileSync(path.join(dir, "root/scans/u1/s1/original.jpg"))).toEqual(bytes);
    await storage.delete("scans/u1/s1/original.jpg");
    expect(await storage.exists("scans/u1/s1/original.jpg")).toBe(false);
  });

  it("overwrites atomically and leaves no temp file behind", async () => {
    await storage.put("scans/u1/s2/original.png", Buffer.from("first"));
    await storage.put("scans/u1/s2/original.png", Buffer.from("second"));
    expect((await storage.get("scans/u1/s2/original.png")).toString()).toBe("second");
    expect(fs.readdirSync(path.join(dir, "root/scans/u1/s2"))).toEqual(["original.png"]);
  });

  it("a missing key reads as AppError NOT_FOUND", async () => {
    const err = await storage.get("scans/u1/missing/original.jpg").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "NOT_FOUND" });
  });

  it("deleting a missing key is not an error", async () => {
    await expect(storage.delete("scans/u1/never/original.jpg")).resolves.toBeUndefined();
  });
});

describe("LocalStorage refuses keys that could leave its root", () => {
  it.each([
    ["../x"],
    ["a/../../etc/passwd"],
    ["scans/../../outside.jpg"],
    ["/etc/passwd"],
    ["scans/./x.jpg"],
    ["scans/.."],
    [".."],
    [""],
    ["scans//x.jpg"],
    ["scans\\..\\x"],
    ["Scans/UPPER.jpg"],
  ])("put(%j) throws and writes nothing", async (key) => {
    await expect(storage.put(key, Buffer.from("evil"))).rejects.toThrow(/unsafe storage key|escapes the root/);
    expect(fs.existsSync(path.join(dir, "x"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "outside.jpg"))).toBe(false);
  });

  it.each([["a/../../etc/passwd"], ["../root/scans/u1/s2/original.png"], ["/etc/passwd"]])("get(%j) throws instead of reading", async (key) => {
    await expect(storage.get(key)).rejects.toThrow(/unsafe storage key|escapes the root/);
  });

  it("delete refuses traversal (never removes a file outside the root) and exists says no", async () => {
    fs.writeFileSync(path.join(dir, "victim.txt"), "keep me");
    await expect(storage.delete("../victim.txt")).rejects.toThrow(/unsafe storage key/);
    expect(await storage.exists("../victim.txt")).toBe(false);
    expect(fs.readFileSync(path.join(dir, "victim.txt"), "utf8")).toBe("keep me");
  });
});

describe("LocalStorage on a folder it cannot write", () => {
  // Tests run as root, where chmod does not stop writes: a path below a regular file
  // cannot be created whoever you are (ENOTDIR).
  it("put answers AppError UNAVAILABLE (503) with a Retry-After, not a raw filesystem error", async () => {
    const file = path.join(dir, "a-regular-file");
    fs.writeFileSync(file, "not a folder");
    const broken = new LocalStorage(path.join(file, "sub"));
    const err = await broken.put("scans/u1/s3/original.jpg", Buffer.from("x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
    expect((err as AppError).retryAfter).toBeGreaterThan(0);
  });
});
