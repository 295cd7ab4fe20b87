/**
 * Thrown by scanCard for input that can never succeed (not an image, truncated beyond decoding,
 * zero bytes, too many pixels). The worker turns it into BullMQ's UnrecoverableError so it is not retried.
 */
export class ImageUnreadableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImageUnreadableError";
  }
}

/**
 * Thrown by scanCard when tesseract did not finish within the time limit. The worker thread is terminated and
 * re-created; the input may be fine (a busy machine), so this is an ordinary error that a retry may get past.
 */
export class OcrTimeoutError extends Error {
  /** `timeoutMs` is the configured limit for the scan (not the time that happened to be left when a pass started). */
  constructor(readonly timeoutMs: number) {
    super(`Reading the card took longer than the ${formatLimit(timeoutMs)} limit, so it was stopped`);
    this.name = "OcrTimeoutError";
  }
}

/** 20000 → "20-second", 1500 → "1.5-second", 1 → "1 ms": what a rep or an operator reads, not a float. */
export function formatLimit(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  const s = Math.round(ms / 100) / 10;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}-second`;
}
