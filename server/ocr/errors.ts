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
  constructor(readonly timeoutMs: number) {
    super(`OCR did not finish within ${timeoutMs} ms; the tesseract worker was restarted`);
    this.name = "OcrTimeoutError";
  }
}
