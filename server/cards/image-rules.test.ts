// What an uploaded card image may be: identified by its bytes (never its name), within
// 15 MB and 40 megapixels, with HEIC, PDF, GIF and everything else refused by name.
import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { MAX_FILE_BYTES, MAX_PIXELS, MIME_BY_FORMAT, sniffImage } from "./image-rules";
import { inspectCardImage } from "./inspect-image";
import { ftypFile, heicFile, makeImage, pdfFile, pngHeaderClaiming, textFile, truncatedJpeg } from "../testing/images";

describe("sniffImage: accepted formats, by magic bytes", () => {
  it.each([
    ["jpeg", "jpeg"],
    ["png", "png"],
    ["webp", "webp"],
    ["avif", "avif"],
    ["tiff", "tiff"],
  ] as const)("a real %s made with sharp is %s", async (made, expected) => {
    expect(sniffImage(await makeImage(made))).toEqual({ kind: "image", format: expected });
  });

  it("a big-endian (MM) TIFF header is TIFF too", () => {
    expect(sniffImage(Buffer.from("MM\0*\0\0\0\x08rest", "latin1"))).toEqual({ kind: "image", format: "tiff" });
  });

  it("an AVIF whose major brand is mif1 but lists avif as compatible is AVIF", () => {
    expect(sniffImage(ftypFile("mif1", ["avif", "miaf"]))).toEqual({ kind: "image", format: "avif" });
  });

  it("an AVIF image sequence (brand avis) is AVIF", () => {
    expect(sniffImage(ftypFile("avis", ["msf1", "miaf"]))).toEqual({ kind: "image", format: "avif" });
  });
});

describe("sniffImage: rejected formats, each with a clear reason", () => {
  const rejected = (b: Buffer) => {
    const s = sniffImage(b);
    if (s.kind !== "rejected") throw new Error(`expected a rejection, got ${JSON.stringify(s)}`);
    return s.reason;
  };

  it("zero bytes: the file is empty", () => {
    expect(rejected(Buffer.alloc(0))).toMatch(/empty/i);
  });

  it("a text file (whatever it is named) is not a supported image", () => {
    expect(rejected(textFile())).toMatch(/not a supported image/i);
  });

  it.each([
    ["heic", ["mif1", "heic"]],
    ["heix", ["mif1", "heix"]],
    ["mif1", ["heic"]],
    ["msf1", ["hevc"]],
  ])("HEIC (major brand %s) names HEIC and says what to do", (major, compat) => {
    const reason = rejected(ftypFile(major, compat));
    expect(reason).toMatch(/HEIC/);
    expect(reason).toMatch(/JPEG/);
  });

  it("the first bytes of an iPhone HEIC photo are refused as HEIC", () => {
    expect(rejected(heicFile())).toMatch(/HEIC photos are not supported/);
  });

  it("an MP4 video (ftyp isom) is refused as not an image", () => {
    expect(rejected(ftypFile("isom", ["isom", "iso2", "mp41"]))).toMatch(/not a supported image/i);
  });

  it("a PDF is refused as PDF", () => {
    expect(rejected(pdfFile())).toMatch(/PDF files are not supported/);
  });

  it("a real GIF is refused as GIF", async () => {
    expect(rejected(await makeImage("gif"))).toMatch(/GIF is not supported/);
  });

  it("an SVG is refused (text, not a photo)", () => {
    expect(rejected(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'))).toMatch(/not a supported image/i);
  });

  it("a lone JPEG SOI marker with fewer than three bytes is not taken for a JPEG", () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8])).kind).toBe("rejected");
  });
});

describe("inspectCardImage: size, pixels and header", () => {
  it.each(["jpeg", "png", "webp", "avif", "tiff"] as const)("accepts a real %s and reports its MIME type and size", async (format) => {
    const r = await inspectCardImage(await makeImage(format, { width: 120, height: 80 }));
    expect(r).toEqual({
      ok: true,
      image: { format, mimeType: MIME_BY_FORMAT[format], width: 120, height: 80, orientedWidth: 120, orientedHeight: 80 },
    });
  });

  it("swaps the displayed width and height for an EXIF-rotated (orientation 6) photo", async () => {
    const rotated = await sharp({ create: { width: 120, height: 80, channels: 3, background: "#777" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const r = await inspectCardImage(rotated);
    expect(r).toMatchObject({ ok: true, image: { width: 120, height: 80, orientedWidth: 80, orientedHeight: 120 } });
  });

  it("refuses a 40 MB file as PAYLOAD_TOO_LARGE, naming the 15 MB limit", async () => {
    const big = Buffer.alloc(40 * 1024 * 1024);
    (await makeImage("jpeg")).copy(big); // a JPEG header: refused for size, not for content
    const r = await inspectCardImage(big);
    expect(r).toMatchObject({ ok: false, code: "PAYLOAD_TOO_LARGE" });
    expect(r.ok === false && r.message).toMatch(/40\.0 MB; the limit is 15 MB/);
  });

  it("accepts exactly 15 MB but not one byte more", async () => {
    const header = await makeImage("jpeg");
    const exact = Buffer.alloc(MAX_FILE_BYTES);
    header.copy(exact);
    expect((await inspectCardImage(exact)).ok).toBe(true);
    const over = Buffer.alloc(MAX_FILE_BYTES + 1);
    header.copy(over);
    expect(await inspectCardImage(over)).toMatchObject({ ok: false, code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses a 20000×20000 PNG (a decompression bomb) from its header alone", async () => {
    const bomb = pngHeaderClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    const r = await inspectCardImage(bomb);
    expect(r).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(r.ok === false && r.message).toMatch(/20000×20000 pixels; the limit is 40 megapixels/);
  });

  it("the pixel cap is 40 MP: 8000×5000 passes, 8001×5000 does not", async () => {
    expect(MAX_PIXELS).toBe(40_000_000);
    expect(await inspectCardImage(pngHeaderClaiming(8000, 5000))).toMatchObject({ ok: true, image: { width: 8000, height: 5000 } });
    expect(await inspectCardImage(pngHeaderClaiming(8001, 5000))).toMatchObject({ ok: false, code: "VALIDATION" });
  });

  it("accepts a truncated JPEG (its header is fine; decoding is the worker's job)", async () => {
    expect(await inspectCardImage(truncatedJpeg())).toMatchObject({ ok: true, image: { format: "jpeg", width: 1700, height: 1250 } });
  });

  it("refuses bytes that start like a JPEG but have no readable header as damaged", async () => {
    const r = await inspectCardImage(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("garbage, not a JPEG at all")]));
    expect(r).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(r.ok === false && r.message).toMatch(/damaged/i);
  });

  it.each([
    ["zero bytes", () => Buffer.alloc(0), /empty/i],
    ["a text file", textFile, /not a supported image/i],
    ["a PDF", pdfFile, /PDF/],
    ["a HEIC", heicFile, /HEIC/],
  ])("refuses %s as VALIDATION with the sniffing reason", async (_n, make, reason) => {
    const r = await inspectCardImage(make());
    expect(r).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(r.ok === false && r.message).toMatch(reason);
  });
});
