// What tesseract (tprintf) and leptonica (L_ERROR/L_WARNING) print from the WASM worker threads. tesseract.js
// offers no switch for them: its `logger` and `errorHandler` options only see job progress and job errors, and
// its core module is created without print/printErr hooks. The pool sends tesseract's own lines to /dev/null
// (`debug_file`, server/ocr/tesseract-pool.ts); leptonica writes to stderr directly, and Node pipes a worker
// thread's stdout/stderr into this process's process.stdout/process.stderr (stream.write), so the lines can only
// be caught there. Used by the scan CLI (scripts/scan.ts, dropped) and the worker process (worker/index.ts,
// turned into debug-level pino lines).
//
// Only whole lines in the engine's own formats are caught: "Error in pixReadMem: …" is leptonica's
// `Error in <function>: ` prefix, not a sentence. Anything else (our errors, a Node warning, a crash's stack)
// passes through untouched; a failed recognition still surfaces as a rejected job and is logged by its caller.
export const ENGINE_NOISE = /^(?:(?:Error|Warning) in [A-Za-z_]\w*: |Detected \d+ diacritics|Estimating resolution as |Warning: Invalid resolution |Too few characters\. Skipping this page|Empty page!!|Image too (?:small|large) to scale)/;

/**
 * Wraps `stream.write` so that whole lines matching ENGINE_NOISE are taken out of what is written; each one is
 * handed to `onNoise` (without its newline) when given, else dropped. Returns the undo.
 */
export function filterEngineNoise(stream: NodeJS.WriteStream, onNoise?: (line: string) => void): () => void {
  const original = stream.write.bind(stream);
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : null;
    if (text === null) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    const lines = text.split(/(?<=\n)/);
    const noise = lines.filter((line) => ENGINE_NOISE.test(line));
    if (!noise.length) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    if (onNoise) {
      // A throwing callback must not turn a diagnostic into a crash of whatever was writing.
      for (const line of noise) {
        try {
          onNoise(line.replace(/\r?\n$/, ""));
        } catch {
          // ignored: the line is noise either way
        }
      }
    }
    const kept = lines.filter((line) => !ENGINE_NOISE.test(line)).join("");
    if (!kept) {
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean)(kept, ...rest.filter((r) => typeof r === "function"));
  };
  stream.write = write as typeof stream.write;
  return () => {
    stream.write = original as typeof stream.write;
  };
}
