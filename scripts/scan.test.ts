// The scan CLI (scripts/scan.ts) as a user runs it: a child process, real OCR. Exit codes: 0 every file read,
// 2 some failed, 1 none read or a usage error. JSON is the default output; tesseract/leptonica noise stays off
// stderr, which carries one line per file.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { EXIT, exitCodeFor, parseArgs, silenceEngineNoise } from "./scan";

const ROOT = path.resolve(__dirname, "..");
const GOOD = path.join(ROOT, "bench/ocr-cards/own-11.jpg"); // upside down: the rotation retries make leptonica talk
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scan-cli-"));
const NOT_IMAGE = path.join(tmp, "notes.jpg");
fs.writeFileSync(NOT_IMAGE, "Hello, this is a note, not a photo of a card.\n");
const MISSING = path.join(tmp, "missing.jpg");

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/scan.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("scan CLI (child process)", () => {
  it("some files read, some not: exit 2, JSON (the default) with an entry per file, one stderr line per file and no engine noise", () => {
    const r = runCli([GOOD, NOT_IMAGE, MISSING]);
    expect(r.code).toBe(EXIT.someFailed);
    const out = JSON.parse(r.stdout) as { file: string; error?: string; fields?: { fullName: string | null } }[];
    expect(out.map((e) => e.file)).toEqual([GOOD, NOT_IMAGE, MISSING]);
    expect(out[0].error).toBeUndefined();
    expect(out[0].fields?.fullName).toBeTruthy();
    expect(out[1].error).toMatch(/^unreadable image: /);
    expect(out[2].error).toMatch(/^cannot read file: /);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^scan: own-11\.jpg \d+ ms$/),
      expect.stringMatching(/^scan: .*notes\.jpg: unreadable image: /),
      expect.stringMatching(/^scan: .*missing\.jpg: cannot read file: /),
      "scan: 2 of 3 files failed",
    ]);
  }, 150_000);

  it("no file read: exit 1, and the JSON still lists each failure; --json is still accepted", () => {
    const r = runCli(["--json", NOT_IMAGE, MISSING]);
    expect(r.code).toBe(EXIT.noneRead);
    expect((JSON.parse(r.stdout) as { error?: string }[]).every((e) => e.error)).toBe(true);
  }, 60_000);

  it("usage errors exit 1 with the usage on stderr and nothing on stdout", () => {
    for (const args of [[], ["--region"], ["--region", "Vietnam", GOOD], ["--pdf", GOOD]]) {
      const r = runCli(args);
      expect(r.code, args.join(" ")).toBe(EXIT.usage);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/usage: scan \[--json\]/);
    }
  }, 60_000);

  it("--help (and -h): the full help on stdout, nothing on stderr, exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = runCli([flag]);
      expect(r.code, flag).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^usage: scan \[--json\] \[--region CC\] \[--verbose\] <image files…>\n/);
      // What it does, what --region means, the output's shape and the three exit codes.
      expect(r.stdout).toContain("Reads business-card photos on this machine");
      expect(r.stdout).toMatch(/--region CC\s+the country .* to assume for phone numbers printed\s+without a country code/);
      expect(r.stdout).toContain("Output (stdout): one JSON array with one entry per file");
      expect(r.stdout).toMatch(/\{"file", "error"\}/);
      expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+every file was read\n\s+1\s+no file was read, or a usage error\n\s+2\s+some files were read and some failed/);
    }
  }, 60_000);

  it("an image over the 50 MP limit says so, with its size, and an empty file is an empty file (not an upload): exit 1", async () => {
    const huge = path.join(tmp, "huge.jpg");
    fs.writeFileSync(huge, await sharp({ create: { width: 12000, height: 8000, channels: 3, background: "#ffffff" } }).jpeg({ quality: 40 }).toBuffer());
    const empty = path.join(tmp, "empty.jpg");
    fs.writeFileSync(empty, "");
    const r = runCli([huge, empty]);
    expect(r.code).toBe(EXIT.noneRead);
    const out = JSON.parse(r.stdout) as { file: string; error?: string }[];
    expect(out).toEqual([
      { file: huge, error: "unreadable image: Image too large: 12000×8000 pixels (96 MP); the limit is 50 MP" },
      { file: empty, error: "unreadable image: Empty file: zero bytes" },
    ]);
    expect(r.stderr).toContain(`scan: ${huge}: unreadable image: Image too large: 12000×8000 pixels (96 MP); the limit is 50 MP\n`);
    expect(r.stderr).not.toMatch(/upload/i);
  }, 120_000);
});

describe("scan CLI helpers", () => {
  it("exitCodeFor", () => {
    expect(exitCodeFor([{}, {}])).toBe(0);
    expect(exitCodeFor([{}, { error: "x" }])).toBe(2);
    expect(exitCodeFor([{ error: "x" }])).toBe(1);
  });

  it("parseArgs: JSON by default, --json accepted, region upper-cased", () => {
    expect(parseArgs(["a.jpg"])).toEqual({ files: ["a.jpg"], region: undefined, verbose: false });
    expect(parseArgs(["--json", "--region", "vn", "--verbose", "a.jpg", "b.png"])).toEqual({ files: ["a.jpg", "b.png"], region: "VN", verbose: true });
  });

  it("silenceEngineNoise drops the known tesseract/leptonica lines, keeps everything else, and can be undone", () => {
    const written: string[] = [];
    const stream = { write: (chunk: string | Uint8Array) => { written.push(Buffer.from(chunk).toString()); return true; } } as unknown as NodeJS.WriteStream;
    const undo = silenceEngineNoise(stream);
    stream.write("Detected 156 diacritics\n");
    stream.write(Buffer.from("Error in boxClipToRectangle: box outside rectangle\nError in pixScanForForeground: invalid box\n"));
    stream.write("Warning in pixReadMemPng: work-around: writing to a temp file\n");
    stream.write("scan: card-001.jpg 812 ms\nError in boxClipToRectangle: box outside rectangle\n");
    stream.write("scan: notes.jpg: unreadable image: Error in decoding\n");
    undo();
    stream.write("Detected 1 diacritics\n");
    expect(written).toEqual(["scan: card-001.jpg 812 ms\n", "scan: notes.jpg: unreadable image: Error in decoding\n", "Detected 1 diacritics\n"]);
  });
});
