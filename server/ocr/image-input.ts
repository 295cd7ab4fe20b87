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

export async function decodeImage(input: Buffer): Promise<DecodedImage> {
  if (!Buffer.isBuffer(input) || input.length === 0) throw new ImageUnreadableError("Empty upload: zero bytes");
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (err) {
    throw new ImageUnreadableError("Not a readable image", { cause: err });
  }
  if (!meta.width || !meta.height) throw new ImageUnreadableError("Image has no size");
  if (meta.format === "pdf" || meta.format === "svg") throw new ImageUnreadableError(`Unsupported format: ${meta.format}`);
  if (meta.format === "heif") throw new ImageUnreadableError("HEIC/HEIF photos are not supported; convert to JPEG");
  if (meta.width * meta.height > MAX_INPUT_PIXELS) throw new ImageUnreadableError(`Image too large: ${meta.width}×${meta.height} px`);
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
