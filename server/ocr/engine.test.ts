// Engine integration: real tesseract workers, real images. One engine for the whole file.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { createOcrEngine, ImageUnreadableError, type OcrEngine } from "./index";

const REPO = path.resolve(__dirname, "../..");
const FIXTURES = path.join(REPO, "../shared/fixtures/cards");

let engine: OcrEngine | null = null;
const getEngine = () => (engine ??= createOcrEngine({ size: 1 }));
afterAll(async () => {
  await engine?.close();
});

/** A card-sized PNG rendered from SVG text with a system font, so this test needs no fixture files. */
async function renderCard(name = "Clara Hoffmann"): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1050" height="600">
    <rect width="100%" height="100%" fill="#ffffff"/>
    <text x="60" y="110" font-family="DejaVu Sans" font-size="52" font-weight="bold" fill="#111">${name}</text>
    <text x="60" y="170" font-family="DejaVu Sans" font-size="32" fill="#333">Sales Manager</text>
    <text x="60" y="240" font-family="DejaVu Sans" font-size="34" fill="#333">Nordlicht Software GmbH</text>
    <text x="60" y="380" font-family="DejaVu Sans" font-size="30" fill="#222">Mobil +49 151 23456789</text>
    <text x="60" y="430" font-family="DejaVu Sans" font-size="30" fill="#222">clara.hoffmann@nordlicht-software.de</text>
    <text x="60" y="480" font-family="DejaVu Sans" font-size="30" fill="#222">www.nordlicht-software.de</text>
  </svg>`;
  // Put it on a dark desk, slightly rotated, like a photo.
  const card = await sharp(Buffer.from(svg)).png().toBuffer();
  const rotated = await sharp(card).rotate(7, { background: "#3a2f28" }).png().toBuffer();
  const meta = await sharp(rotated).metadata();
  return sharp({ create: { width: meta.width! + 300, height: meta.height! + 300, channels: 3, background: "#3a2f28" } })
    .composite([{ input: rotated, left: 150, top: 150 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A syntactically valid PNG header claiming 20000×20000 px (the pixel data is never needed to reject it). */
function hugePngHeader(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0); ihdr.writeUInt32BE(20000, 4);
  ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit grayscale
  const idat = zlib.deflateSync(Buffer.alloc(20001 * 4)); // a few rows only
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

describe("scanCard on an image rendered by the test", () => {
  it("reads name, company, email, phone and website from a rotated card on a dark surface", async () => {
    const r = await getEngine().scanCard(await renderCard(), { defaultRegion: "DE" });
    expect(r.fields.email).toBe("clara.hoffmann@nordlicht-software.de");
    expect(r.fields.phone).toBe("+4915123456789");
    expect(r.fields.website).toBe("nordlicht-software.de");
    expect(r.fields.company).toBe("Nordlicht Software GmbH");
    expect(r.fields.fullName).toBe("Clara Hoffmann");
    expect(r.phones[0].type).toBe("mobile");
    // The normalized image is a JPEG whose size matches the word boxes' coordinate space.
    const meta = await sharp(r.normalizedImage).metadata();
    expect(meta.format).toBe("jpeg");
    expect([meta.width, meta.height]).toEqual([r.imageWidth, r.imageHeight]);
    for (const w of r.words) {
      expect(w.bbox.x1).toBeLessThanOrEqual(r.imageWidth);
      expect(w.bbox.y1).toBeLessThanOrEqual(r.imageHeight);
    }
    expect(r.sourceWords.email?.length).toBeGreaterThan(0);
    expect(r.text).toContain("Hoffmann");
  });

  it("a name usually written with accents, read without them, comes out flagged with the usual spelling", async () => {
    const plain = await getEngine().scanCard(await renderCard(), { defaultRegion: "DE" });
    expect(plain.hints).toEqual({});
    const r = await getEngine().scanCard(await renderCard("Martin Ramirez"), { defaultRegion: "DE" });
    expect(r.fields.fullName).toBe("Martin Ramirez");
    expect(r.hints?.fullName?.suggestion).toBe("Martín Ramírez");
    expect(r.confidence.fullName).toBeLessThan(0.75);
  });

  it("reports progress through every phase", async () => {
    const phases = new Set<string>();
    await getEngine().scanCard(await renderCard(), { onProgress: (p) => phases.add(p) });
    expect([...phases]).toEqual(["preprocess", "qr", "ocr", "parse"]);
  });
});

describe("scanCard rejects input that can never succeed with ImageUnreadableError", () => {
  it.each([
    ["zero bytes", () => Buffer.alloc(0)],
    ["a text file", () => Buffer.from("Hello, this is not an image\n")],
    ["a PDF", () => Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")],
    ["a truncated JPEG", async () => (await sharp({ create: { width: 400, height: 300, channels: 3, background: "#888" } }).jpeg().toBuffer()).subarray(0, 200)],
    ["a 20000×20000 PNG (over the 50 MP limit)", () => hugePngHeader()],
  ])("%s", async (_name, make) => {
    await expect(getEngine().scanCard(await make())).rejects.toBeInstanceOf(ImageUnreadableError);
  });
});

describe.skipIf(!fs.existsSync(path.join(FIXTURES, "truth.json")))("scanCard on shared fixture photos", () => {
  it("card-014 (photo on wood): name, email, phone, website", async () => {
    const r = await getEngine().scanCard(fs.readFileSync(path.join(FIXTURES, "card-014.jpg")));
    expect(r.fields.fullName?.normalize("NFD").replace(/\p{M}/gu, "")).toBe("Soren Vogel");
    expect(r.fields.email).toBe("soeren_vogel@lindenhof.de");
    expect(r.fields.phone).toBe("+494066969079");
    expect(r.fields.website).toBe("lindenhof.de");
    expect(r.fields.company).toBe("Lindenhof Logistik AG");
  });

  it("card-038 (vCard QR): QR fields are authoritative", async () => {
    const r = await getEngine().scanCard(fs.readFileSync(path.join(FIXTURES, "card-038.jpg")));
    expect(r.qr?.kind).toBe("vcard");
    expect(r.fields.fullName).toBe("Tobias Lübke");
    expect(r.fields.company).toBe("Bergquell Software GmbH");
    expect(r.fields.phone).toBe("+493023125298");
  });
});

describe("OCR time limit", () => {
  it("fails a scan that exceeds it with OcrTimeoutError (retryable), and the pool recovers with a fresh worker", async () => {
    const { TesseractPool } = await import("./tesseract-pool");
    const { OcrTimeoutError } = await import("./errors");
    const { defaultCachePath } = await import("./lang-data");
    const image = await renderCard();
    // A 1 ms limit cannot be met by any recognition: the scan fails with the timeout error, not ImageUnreadableError.
    const { createOcrEngineWithConfig } = await import("./engine");
    const strict = createOcrEngineWithConfig({ size: 1, ocrTimeoutMs: 1 });
    try {
      const err = await strict.scanCard(image).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(OcrTimeoutError);
      expect(err).not.toBeInstanceOf(ImageUnreadableError);
    } finally {
      await strict.close();
    }
    // The same pool slot keeps working after a timeout: the terminated worker is replaced.
    const pool = new TesseractPool({ size: 1, recycleAfter: 300, cachePath: defaultCachePath(), langs: ["eng"] });
    try {
      const png = await sharp(image).greyscale().png().toBuffer();
      await expect(pool.recognize(png, "11", 1)).rejects.toBeInstanceOf(OcrTimeoutError);
      const page = await pool.recognize(png, "11");
      expect(page.text).toMatch(/hoffmann/i);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
