// decodeImage's refusals say why, in words that fit the web upload and the CLI alike: an image over the pixel
// limit names its size and the limit (not "Not a readable image"), and an empty file is a "file", not an "upload".
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeImage, formatMegapixels, MAX_INPUT_PIXELS, tooLargeMessage } from "./image-input";
import { ImageUnreadableError } from "./errors";

/** A blank 12000×8000 JPEG (96 MP): sharp writes it in a second or two, and it is well under 1 MB. */
let huge: Buffer;
beforeAll(async () => {
  huge = await sharp({ create: { width: 12000, height: 8000, channels: 3, background: "#ffffff" } }).jpeg({ quality: 40 }).toBuffer();
}, 60_000);

async function refusal(input: Buffer): Promise<ImageUnreadableError> {
  const err = await decodeImage(input).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImageUnreadableError);
  return err as ImageUnreadableError;
}

describe("decodeImage refusals", () => {
  it("the limit is 50 MP", () => {
    expect(MAX_INPUT_PIXELS).toBe(50_000_000);
  });

  it("an image over the pixel limit (sharp's own refusal) names its size and the limit", async () => {
    const err = await refusal(huge);
    expect(err.message).toBe("Image too large: 12000×8000 pixels (96 MP); the limit is 50 MP");
    expect(String((err.cause as Error).message)).toMatch(/exceeds pixel limit/);
  }, 30_000);

  it("an image just under the limit is decoded", async () => {
    const ok = await sharp({ create: { width: 5000, height: 4000, channels: 3, background: "#ffffff" } }).jpeg({ quality: 40 }).toBuffer();
    const img = await decodeImage(ok);
    expect(Math.max(img.width, img.height)).toBe(3000);
  }, 30_000);

  it("zero bytes: an empty file, in words that fit the CLI as well as the upload", async () => {
    expect((await refusal(Buffer.alloc(0))).message).toBe("Empty file: zero bytes");
  });

  it("a file that is no image at all stays 'Not a readable image'", async () => {
    expect((await refusal(Buffer.from("Hello, this is not an image\n"))).message).toBe("Not a readable image");
  });
});

describe("megapixel wording", () => {
  it("rounds up to a tenth, so just over the limit never reads as the limit", () => {
    expect(formatMegapixels(96_000_000)).toBe("96");
    expect(formatMegapixels(84_000_000)).toBe("84");
    expect(formatMegapixels(50_000_001)).toBe("50.1");
    expect(formatMegapixels(400_000_000)).toBe("400");
    expect(tooLargeMessage(20000, 20000)).toBe("Image too large: 20000×20000 pixels (400 MP); the limit is 50 MP");
  });
});
