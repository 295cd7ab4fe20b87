// The worker process turns tesseract/leptonica's raw diagnostics into debug-level pino lines and leaves every
// other line alone, including the ones an OCR worker thread writes, which Node forwards through process.stderr.
import { Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { routeEngineNoise } from "./engine-noise-log";

const NOISE = ["Error in pixReadMem: Unknown format: no pix returned", "Warning: Invalid resolution 0 dpi. Using 70 instead.", "Error in boxClipToRectangle: box outside rectangle"];

/** A pino logger at `level` whose JSON lines land in the returned array. */
function memoryLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const dest = new Writable({ write(chunk, _enc, cb) { lines.push(...String(chunk).trim().split("\n").map((l) => JSON.parse(l))); cb(); } });
  return { log: pino({ level }, dest), lines };
}

/** A stand-in for process.stdout/stderr that records what gets through. */
function recordingStream() {
  const written: string[] = [];
  const stream = { write: (chunk: string | Uint8Array) => { written.push(Buffer.from(chunk).toString()); return true; } } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe("routeEngineNoise", () => {
  it("sends the engine's lines to a debug log line and passes everything else through", async () => {
    const { log, lines } = memoryLogger("debug");
    const out = recordingStream();
    const err = recordingStream();
    const undo = routeEngineNoise(log, [out.stream, err.stream]);
    err.stream.write(`${NOISE[0]}\n${NOISE[1]}\n`);
    out.stream.write(`${NOISE[2]}\n{"level":30,"msg":"job completed"}\n`);
    // A real error, even one that says "Error in", is not in leptonica's `Error in <function>: ` form.
    err.stream.write("Error in job scan-1: connection refused\n");
    undo();
    err.stream.write(`${NOISE[0]}\n`);
    await new Promise((r) => setImmediate(r));

    expect(out.written).toEqual(['{"level":30,"msg":"job completed"}\n']);
    expect(err.written).toEqual(["Error in job scan-1: connection refused\n", `${NOISE[0]}\n`]);
    expect(lines).toEqual(NOISE.map((line) => expect.objectContaining({ level: 20, component: "ocr-engine", line, msg: "ocr engine diagnostic" })));
  });

  it("at the default level the lines are simply gone", async () => {
    const { log, lines } = memoryLogger("info");
    const err = recordingStream();
    const undo = routeEngineNoise(log, [err.stream]);
    err.stream.write(`${NOISE[0]}\n`);
    undo();
    await new Promise((r) => setImmediate(r));
    expect(err.written).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("catches what a worker thread (where tesseract.js runs leptonica) prints to stderr", async () => {
    const { log, lines } = memoryLogger("debug");
    const passed: string[] = [];
    const realWrite = process.stderr.write;
    // Record what would reach the terminal instead of printing it; the filter wraps this recorder.
    process.stderr.write = ((chunk: string | Uint8Array) => (passed.push(Buffer.from(chunk).toString()), true)) as typeof process.stderr.write;
    const undo = routeEngineNoise(log, [process.stderr]);
    try {
      const thread = new Worker(`process.stderr.write(${JSON.stringify(`${NOISE[0]}\n`)}); console.error("a real problem");`, { eval: true });
      await new Promise((r) => thread.once("exit", r));
      // The thread's stderr reaches this side asynchronously.
      for (let i = 0; i < 50 && !passed.join("").includes("a real problem"); i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      undo();
      process.stderr.write = realWrite;
    }
    expect(passed.join("")).toBe("a real problem\n");
    expect(lines).toEqual([expect.objectContaining({ level: 20, line: NOISE[0] })]);
  });
});
