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
