// Decode an uploaded image safely: EXIF orientation applied, pixel count bounded, anything undecodable rejected.
import sharp, { type Metadata } from "sharp";
import { ImageUnreadableError } from "./errors";

/** ~50 MP: more than any phone camera; beyond it decoding alone could take gigabytes. */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Longest side we work on. Cards in photos are a fraction of the frame; more pixels only cost time. */
export const WORK_MAX_SIDE = 3000;

export interface DecodedImage {
  /** RGBA, 4 bytes per pixel */
  data: Buffer;
  width: number;
  height: number;
}

/** 84_000_000 → "84", 50_000_001 → "50.1": megapixels rounded up to a tenth, so an image just over the limit
 *  never reads as equal to it. */
export function formatMegapixels(pixels: number): string {
  const mp = Math.ceil(pixels / 100_000) / 10;
  return Number.isInteger(mp) ? String(mp) : mp.toFixed(1);
}

/** "Image too large: 12000×8000 pixels (96 MP); the limit is 50 MP": the size and the limit, as the web upload says. */
export function tooLargeMessage(width: number, height: number): string {
  return `Image too large: ${width}×${height} pixels (${formatMegapixels(width * height)} MP); the limit is ${formatMegapixels(MAX_INPUT_PIXELS)} MP`;
}

/** sharp's refusal of an image over `limitInputPixels` (libvips: "Input image exceeds pixel limit"). */
const isPixelLimitError = (err: unknown) => err instanceof Error && /exceeds pixel limit/i.test(err.message);

export async function decodeImage(input: Buffer): Promise<DecodedImage> {
  // "file", not "upload": the CLI (scripts/scan.ts) reads files from disk and says the same words.
  if (!Buffer.isBuffer(input) || input.length === 0) throw new ImageUnreadableError("Empty file: zero bytes");
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (err) {
    if (isPixelLimitError(err)) throw new ImageUnreadableError(await tooLargeFromHeader(input), { cause: err });
    throw new ImageUnreadableError("Not a readable image", { cause: err });
  }
  if (!meta.width || !meta.height) throw new ImageUnreadableError("Image has no size");
  if (meta.format === "pdf" || meta.format === "svg") throw new ImageUnreadableError(`Unsupported format: ${meta.format}`);
  if (meta.format === "heif") throw new ImageUnreadableError("HEIC/HEIF photos are not supported; convert to JPEG");
  if (meta.width * meta.height > MAX_INPUT_PIXELS) throw new ImageUnreadableError(tooLargeMessage(meta.width, meta.height));
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", pages: 1 })
      .rotate() // EXIF orientation
      .resize({ width: WORK_MAX_SIDE, height: WORK_MAX_SIDE, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new ImageUnreadableError("Image could not be decoded (truncated or corrupt)", { cause: err });
  }
}

/**
 * The message for an image sharp refused as over the pixel limit. Its size comes from the header read again
 * without the limit: metadata() reads the header only and decodes no pixel, so this costs no memory. Should that
 * read fail too, the message still says why, without the size.
 */
async function tooLargeFromHeader(input: Buffer): Promise<string> {
  try {
    const { width, height } = await sharp(input, { limitInputPixels: false }).metadata();
    if (width && height) return tooLargeMessage(width, height);
  } catch {
    // fall through
  }
  return `Image too large: over the ${formatMegapixels(MAX_INPUT_PIXELS)} MP limit`;
}
