// Validates one uploaded file: content type by magic bytes, size, and pixel count from
// the image header (no full decode, so a decompression bomb costs nothing).
import sharp from "sharp";
import { MAX_FILE_BYTES, MAX_PIXELS, MIME_BY_FORMAT, sniffImage, type CardImageFormat } from "./image-rules";

export interface InspectedImage {
  format: CardImageFormat;
  mimeType: string;
  width: number;
  height: number;
  /** Width/height as displayed, after the EXIF orientation is applied. */
  orientedWidth: number;
  orientedHeight: number;
}

export type InspectResult = { ok: true; image: InspectedImage } | { ok: false; code: "VALIDATION" | "PAYLOAD_TOO_LARGE"; message: string };

export async function inspectCardImage(bytes: Buffer): Promise<InspectResult> {
  if (bytes.length > MAX_FILE_BYTES) {
    return { ok: false, code: "PAYLOAD_TOO_LARGE", message: `The file is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB.` };
  }
  const sniffed = sniffImage(bytes);
  if (sniffed.kind === "rejected") return { ok: false, code: "VALIDATION", message: sniffed.reason };
  // limitInputPixels false here: we only read the header, and want to report the size ourselves.
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata().catch(() => null);
  if (!meta) return { ok: false, code: "VALIDATION", message: "The image is damaged and cannot be read." };
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!width || !height) return { ok: false, code: "VALIDATION", message: "The image has no size; it is damaged or empty." };
  if (width * height > MAX_PIXELS) {
    return { ok: false, code: "VALIDATION", message: `The image is ${width}×${height} pixels; the limit is ${MAX_PIXELS / 1e6} megapixels.` };
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    ok: true,
    image: {
      format: sniffed.format,
      mimeType: MIME_BY_FORMAT[sniffed.format],
      width,
      height,
      orientedWidth: rotated ? height : width,
      orientedHeight: rotated ? width : height,
    },
  };
}
