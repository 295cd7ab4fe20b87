// The worker's stdout is pino's JSON, one object a line, for the log shipper. tesseract/leptonica print their own
// diagnostics from the OCR threads ("Error in pixReadMem: Unknown format: no pix returned", "Warning: Invalid
// resolution 0 dpi. Using 70 instead.") straight into this process's stdout/stderr, between those lines. They say
// nothing about whether a card was read (a real failure rejects the job, which is logged), so they become
// debug-level lines here: out of the way at the default level, still there with LOG_LEVEL=debug.
// Which lines count as such noise: server/ocr/engine-noise.ts (shared with the scan CLI, which drops them).
import type { Logger } from "../server/logger";
import { filterEngineNoise } from "../server/ocr/engine-noise";

export function routeEngineNoise(log: Logger, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const ocrLog = log.child({ component: "ocr-engine" });
  // pino writes to the file descriptor itself (sonic-boom), not through process.stdout.write, so logging from
  // inside the wrapper cannot loop back into it.
  const undo = streams.map((s) => filterEngineNoise(s, (line) => ocrLog.debug({ line }, "ocr engine diagnostic")));
  return () => undo.forEach((u) => u());
}
