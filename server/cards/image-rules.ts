// What an uploaded card image may be. Checked by content (magic bytes + decoder header),
// never by file name or the browser's Content-Type.
export const MAX_FILE_BYTES = 15 * 1024 * 1024;
export const MAX_FILES_PER_BATCH = 50;
// 40 MP is well above any phone camera (a 200 MP sensor bins to 12.5 MP by default) and
// stops decompression bombs: a 20000×20000 PNG is 400 MP.
export const MAX_PIXELS = 40_000_000;

export type CardImageFormat = "jpeg" | "png" | "webp" | "avif" | "tiff";

export const MIME_BY_FORMAT: Record<CardImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  tiff: "image/tiff",
};

export const EXT_BY_FORMAT: Record<CardImageFormat, string> = { jpeg: "jpg", png: "png", webp: "webp", avif: "avif", tiff: "tif" };

export type Sniffed = { kind: "image"; format: CardImageFormat } | { kind: "rejected"; reason: string };

const ascii = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString("latin1");

/** Identifies the file from its first bytes. */
export function sniffImage(b: Buffer): Sniffed {
  if (b.length === 0) return { kind: "rejected", reason: "The file is empty." };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: "image", format: "jpeg" };
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { kind: "image", format: "png" };
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return { kind: "image", format: "webp" };
  if (b.length >= 4 && (ascii(b, 0, 4) === "II*\0" || ascii(b, 0, 4) === "MM\0*")) return { kind: "image", format: "tiff" };
  if (b.length >= 12 && ascii(b, 4, 8) === "ftyp") {
    // ISO-BMFF: the major and compatible brands say whether this is AVIF or HEIC.
    const boxSize = Math.min(b.readUInt32BE(0), b.length, 64);
    const brands: string[] = [ascii(b, 8, 12)];
    for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(b, i, i + 4));
    if (brands.includes("avif") || brands.includes("avis")) return { kind: "image", format: "avif" };
    if (brands.some((x) => ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].includes(x))) {
      return { kind: "rejected", reason: "HEIC photos are not supported. Set the camera to 'Most Compatible' (JPEG) or upload a JPEG/PNG." };
    }
    return { kind: "rejected", reason: "This video/ISO media file is not a supported image." };
  }
  if (b.length >= 5 && ascii(b, 0, 5) === "%PDF-") return { kind: "rejected", reason: "PDF files are not supported. Upload a photo of the card (JPEG, PNG, WebP, AVIF or TIFF)." };
  if (b.length >= 6 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) return { kind: "rejected", reason: "GIF is not supported. Upload a JPEG, PNG, WebP, AVIF or TIFF photo." };
  return { kind: "rejected", reason: "This file is not a supported image (JPEG, PNG, WebP, AVIF or TIFF)." };
}
