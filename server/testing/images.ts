// Test images built in memory (sharp for real encodings, hand-made headers for the
// files that must be rejected), plus the committed bench card photos.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";

export const REPO_ROOT = path.resolve(__dirname, "../..");
/** Shared fixture photos with truth (may be absent on a fresh checkout: skip when so). */
export const SHARED_CARD_FIXTURES = path.join(REPO_ROOT, "../shared/fixtures/cards");
export const hasSharedCardFixtures = () => fs.existsSync(path.join(SHARED_CARD_FIXTURES, "truth.json"));

export interface BenchTruth {
  file: string;
  fullName: string;
  title: string;
  company: string;
  email: string;
  phones: string[];
  fax: string | null;
  website: string | null;
  address: string | null;
}

/** A committed card photo from bench/ocr-cards (own-01.jpg … own-08.jpg), with its truth. */
export function benchCard(file: string): { bytes: Buffer; truth: BenchTruth } {
  const dir = path.join(REPO_ROOT, "bench/ocr-cards");
  const truth = (JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")) as BenchTruth[]).find((t) => t.file === file);
  if (!truth) throw new Error(`no truth for ${file}`);
  return { bytes: fs.readFileSync(path.join(dir, file)), truth };
}

export type SharpFormat = "jpeg" | "png" | "webp" | "avif" | "tiff" | "gif";

/** A small real image in the given format, with a random-ish colour so bytes differ per call. */
export async function makeImage(format: SharpFormat, opts: { width?: number; height?: number; seed?: number } = {}): Promise<Buffer> {
  const seed = opts.seed ?? Math.floor(Math.random() * 0xffffff);
  const background = { r: seed & 0xff, g: (seed >> 8) & 0xff, b: (seed >> 16) & 0xff };
  const img = sharp({ create: { width: opts.width ?? 64, height: opts.height ?? 40, channels: 3, background } });
  return img.toFormat(format).toBuffer();
}

/** A real JPEG cut in half: the header parses, the pixel data does not. */
export function truncatedJpeg(file = "own-01.jpg"): Buffer {
  const { bytes } = benchCard(file);
  return Buffer.from(bytes.subarray(0, bytes.length >> 1));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

/**
 * A valid PNG signature + IHDR declaring width×height (8-bit grayscale) + a tiny IDAT and
 * IEND: a decompression bomb's header, costing a few bytes. Only the header is ever read.
 */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", zlib.deflateSync(Buffer.alloc(width + 1))), // one row
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An ISO-BMFF file starting with an ftyp box: major brand + compatible brands (HEIC, AVIF, MP4 …). */
export function ftypFile(major: string, compatible: string[] = []): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write("ftyp", 4, "latin1");
  box.write(major, 8, "latin1");
  box.writeUInt32BE(0, 12); // minor version
  compatible.forEach((b, i) => box.write(b, 16 + 4 * i, "latin1"));
  // A meta box stub follows, as in a real file.
  const meta = Buffer.from("000000186d657461000000000000000c68646c7200000000", "hex");
  return Buffer.concat([box, meta]);
}

/** The first bytes of an iPhone HEIC photo. */
export const heicFile = () => ftypFile("heic", ["mif1", "heic"]);

export const pdfFile = () => Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

export const textFile = () => Buffer.from("Hello, this is a note, not a photo of a card.\n");
