// Photo → upright, flat, evenly lit card image for tesseract. Every step can be switched off so the
// benchmark can measure what it buys (see docs/ocr.md); DEFAULT_PREPROCESS holds the steps that paid.
import sharp from "sharp";
import type { DecodedImage } from "./image-input";
import { loadOpenCv, type CV } from "./opencv";
import { DETECT_SIDE, findCardCandidates, findTextCluster, insideQuad, MIN_CARD_SCORE, quadArea, type Point, type Quad, type TextCluster } from "./find-card";

export interface PreprocessOptions {
  /** find the card and correct its perspective (OpenCV) */
  crop: boolean;
  /** divide by a blurred background estimate to remove shadows, glare and vignetting */
  flatten: boolean;
  /** contrast stretch after the other steps */
  normalize: boolean;
  /** invert cards whose background is dark (light text on dark) */
  invertDark: boolean;
  /** long side of the card image handed to tesseract, px (upscales small text, downscales huge photos) */
  targetLongSide: number;
  /** check the card outline against the text lines found in the photo; crop around the text when no outline fits */
  textCheck?: boolean;
}

// Measured (docs/ocr.md): crop+perspective is what pays for accuracy. Flatten+normalise leave accuracy unchanged
// but keep tesseract from grinding on surface texture when the card outline is missed (one fixture: 55 s → 14 s).
// Inverting dark cards costs nothing and is kept for light-on-dark cards.
export const DEFAULT_PREPROCESS: PreprocessOptions = {
  crop: true,
  flatten: true,
  normalize: true,
  invertDark: true,
  targetLongSide: 1800,
  textCheck: true,
};

export const NO_PREPROCESS: PreprocessOptions = {
  crop: false,
  flatten: false,
  normalize: false,
  invertDark: false,
  targetLongSide: 0,
};

export interface PreparedCard {
  /** colour RGBA of the card (cropped, perspective-corrected); what the UI shows */
  rgba: Buffer;
  width: number;
  height: number;
  /** single-channel image for OCR, same size */
  gray: Buffer;
  cardFound: boolean;
  inverted: boolean;
  /** where the crop came from: the card outline, the text lines, or the whole frame */
  cropSource: CropSource;
  /** dominant text angle in the photo (degrees), when text lines were found */
  textAngle: number | null;
}

/** Size of the rectangle a quad maps to: mean lengths of opposite sides. */
function quadSize(q: Quad): { w: number; h: number } {
  const d = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
  return { w: (d(q[0], q[1]) + d(q[3], q[2])) / 2, h: (d(q[0], q[3]) + d(q[1], q[2])) / 2 };
}

function scaleTo(w: number, h: number, longSide: number): { w: number; h: number } {
  if (!longSide) return { w: Math.round(w), h: Math.round(h) };
  const s = longSide / Math.max(w, h);
  return { w: Math.max(1, Math.round(w * s)), h: Math.max(1, Math.round(h * s)) };
}

/** Long side of the copy the text-line finder runs on: small cards in big photos still have 3+ px text there. */
const TEXT_SIDE = 1024;

export type CropSource = "outline" | "text" | "none";

/** Rotate the quad's corner order so its top edge runs along the text lines (fixes 90°/270° outlines). */
function alignToText(q: Quad, angleDeg: number): Quad {
  const rad = (angleDeg * Math.PI) / 180;
  const ux = Math.cos(rad), uy = Math.sin(rad);
  let best = 0, bestDot = -Infinity;
  for (let k = 0; k < 4; k++) {
    const a = q[k], b = q[(k + 1) % 4];
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const dot = ((b.x - a.x) * ux + (b.y - a.y) * uy) / len;
    if (dot > bestDot) { bestDot = dot; best = k; }
  }
  return [0, 1, 2, 3].map((k) => q[(best + k) % 4]) as Quad;
}

/** Degrees between the text direction and the quad's top/bottom edges (mean of both, so perspective averages out). */
function angleOff(q: Quad, angleDeg: number): number {
  const dir = (a: Point, b: Point) => Math.atan2(b.y - a.y, b.x - a.x);
  const top = dir(q[0], q[1]), bottom = dir(q[3], q[2]);
  const mean = Math.atan2(Math.sin(top) + Math.sin(bottom), Math.cos(top) + Math.cos(bottom));
  let d = Math.abs((mean * 180) / Math.PI - angleDeg) % 180;
  if (d > 90) d = 180 - d;
  return d;
}

/** Measured on the fixtures: real outlines are within ~3° of the text; perspective adds a little. */
const MAX_TEXT_EDGE_ANGLE = 7;

function textAngle(c: TextCluster): number {
  const [tl, tr] = c.tight;
  return (Math.atan2(tr.y - tl.y, tr.x - tl.x) * 180) / Math.PI;
}

async function detect(cv: CV, img: DecodedImage, textCheck: boolean): Promise<{ quad: Quad | null; source: CropSource; textAngle: number | null }> {
  const s = Math.min(1, DETECT_SIDE / Math.max(img.width, img.height));
  const small = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
    .resize(Math.max(1, Math.round(img.width * s)), Math.max(1, Math.round(img.height * s)), { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sx = img.width / small.info.width;
  const sy = img.height / small.info.height;
  const candidates = findCardCandidates(cv, small.data, small.info.width, small.info.height).map((c) => ({
    ...c,
    quad: c.quad.map((p) => ({ x: p.x * sx, y: p.y * sy })) as Quad,
  }));
  if (!textCheck) {
    const best = candidates[0];
    return { quad: best && best.score >= MIN_CARD_SCORE ? best.quad : null, source: best && best.score >= MIN_CARD_SCORE ? "outline" : "none", textAngle: null };
  }

  const t = Math.min(1, TEXT_SIDE / Math.max(img.width, img.height));
  const tw = Math.max(1, Math.round(img.width * t)), th = Math.max(1, Math.round(img.height * t));
  const tgray = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).resize(tw, th, { fit: "fill" }).removeAlpha().grayscale().raw().toBuffer();
  const cluster = findTextCluster(cv, tgray, tw, th);
  if (!cluster) {
    const best = candidates[0];
    return { quad: best && best.score >= MIN_CARD_SCORE ? best.quad : null, source: best && best.score >= MIN_CARD_SCORE ? "outline" : "none", textAngle: null };
  }
  const up = (p: Point): Point => ({ x: (p.x * img.width) / tw, y: (p.y * img.height) / th });
  // Every corner of every text line counts, so an outline that cuts the text off at one side is rejected.
  const corners = cluster.boxes.flatMap((b) => b.pts.map((p) => ({ c: up(p), area: b.area })));
  const total = corners.reduce((a, b) => a + b.area, 0);
  const tight = cluster.tight.map(up) as Quad;
  const tightArea = quadArea(tight);
  const angle = textAngle(cluster);
  // An outline is the card when it holds (nearly) all the text and is not mostly empty surface around it.
  for (const c of candidates) {
    if (c.score < MIN_CARD_SCORE / 2) break;
    const inside = corners.filter((b) => insideQuad(c.quad, b.c)).reduce((a, b) => a + b.area, 0) / total;
    const textShare = tightArea / Math.max(1, quadArea(c.quad));
    if (inside < 0.9 || textShare < 0.12 || textShare > 1.05) continue;
    // Printed lines run parallel to the card's edges; an outline at an angle to the text is some other shape
    // (the card merged with a sheet under it).
    const q = alignToText(c.quad, angle);
    if (angleOff(q, angle) > MAX_TEXT_EDGE_ANGLE) continue;
    return { quad: q, source: "outline", textAngle: angle };
  }
  return { quad: cluster.quad.map(up) as Quad, source: "text", textAngle: angle };
}

function warp(cv: CV, img: DecodedImage, quad: Quad, out: { w: number; h: number }): Buffer {
  const src = cv.matFromArray(img.height, img.width, cv.CV_8UC4, img.data);
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, out.w, 0, out.w, out.h, 0, out.h]);
  const m = cv.getPerspectiveTransform(from, to);
  const dst = new cv.Mat();
  try {
    cv.warpPerspective(src, dst, m, new cv.Size(out.w, out.h), cv.INTER_CUBIC, cv.BORDER_REPLICATE, new cv.Scalar());
    return Buffer.from(dst.data as Uint8Array);
  } finally {
    [src, from, to, m, dst].forEach((x) => x.delete());
  }
}

/**
 * Even out illumination: estimate the paper brightness with a max-filter (removes dark text) plus blur on a
 * quarter-size copy, then divide. Shadows, glare gradients and vignetting disappear; text contrast stays.
 */
function flattenIllumination(cv: CV, gray: Buffer, w: number, h: number): Buffer {
  const src = cv.matFromArray(h, w, cv.CV_8UC1, gray);
  const small = new cv.Mat();
  const bg = new cv.Mat();
  const big = new cv.Mat();
  try {
    const f = 4;
    cv.resize(src, small, new cv.Size(Math.max(1, Math.round(w / f)), Math.max(1, Math.round(h / f))), 0, 0, cv.INTER_AREA);
    const k = Math.max(3, Math.round(Math.max(w, h) / f / 40) | 1);
    const kernel = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(k, k));
    cv.dilate(small, bg, kernel);
    kernel.delete();
    const blurK = Math.max(3, (k * 2) | 1);
    cv.GaussianBlur(bg, bg, new cv.Size(blurK, blurK), 0);
    cv.resize(bg, big, new cv.Size(w, h), 0, 0, cv.INTER_LINEAR);
    const g = src.data as Uint8Array;
    const b = big.data as Uint8Array;
    const out = Buffer.alloc(w * h);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.round((g[i] * 255) / Math.max(8, b[i])));
    return out;
  } finally {
    [src, small, bg, big].forEach((x) => x.delete());
  }
}

function median(values: Uint8Array | Buffer, step: number): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < values.length; i += step) { hist[values[i]]++; n++; }
  let acc = 0;
  for (let v = 0; v < 256; v++) { acc += hist[v]; if (acc >= n / 2) return v; }
  return 255;
}

export async function prepareCard(img: DecodedImage, opts: PreprocessOptions): Promise<PreparedCard> {
  const cv = opts.crop || opts.flatten ? await loadOpenCv() : null;
  let quad: Quad | null = null;
  let cropSource: CropSource = "none";
  let angle: number | null = null;
  if (opts.crop && cv) ({ quad, source: cropSource, textAngle: angle } = await detect(cv, img, opts.textCheck ?? false));

  let rgba: Buffer;
  let width: number;
  let height: number;
  if (quad && cv) {
    const size = quadSize(quad);
    const out = scaleTo(size.w, size.h, opts.targetLongSide);
    rgba = warp(cv, img, quad, out);
    width = out.w;
    height = out.h;
  } else {
    // No card outline: OCR the whole frame at the target size (more pixels of background only cost time).
    const out = opts.targetLongSide ? scaleTo(img.width, img.height, opts.targetLongSide) : { w: img.width, h: img.height };
    if (out.w === img.width && out.h === img.height) rgba = img.data;
    else rgba = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).resize(out.w, out.h, { fit: "fill", kernel: "cubic" }).raw().toBuffer();
    width = out.w;
    height = out.h;
  }

  let gray: Buffer = await sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha().grayscale().raw().toBuffer();
  let inverted = false;
  // A dark card (light text) is inverted so tesseract's binarisation sees dark text on light paper.
  if (opts.invertDark && median(gray, 7) < 110) {
    for (let i = 0; i < gray.length; i++) gray[i] = 255 - gray[i];
    inverted = true;
  }
  if (opts.flatten && cv) gray = flattenIllumination(cv, gray, width, height);
  if (opts.normalize) gray = await sharp(gray, { raw: { width, height, channels: 1 } }).normalise({ lower: 1, upper: 99 }).extractChannel(0).raw().toBuffer();
  return { rgba, width, height, gray, cardFound: !!quad, inverted, cropSource, textAngle: angle };
}

export async function grayToPng(gray: Buffer, width: number, height: number): Promise<Buffer> {
  // Fast PNG settings: the buffer only travels to the tesseract worker thread.
  return sharp(gray, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
}
