// The OCR engine: decode → find/flatten the card → QR → tesseract (pooled workers) → parse.
import os from "node:os";
import sharp from "sharp";
import type { CardScanResult, OcrEngine, OcrEngineOptions, OcrWord, ScanOptions } from "./types";
import { decodeImage } from "./image-input";
import { DEFAULT_PREPROCESS, grayToPng, prepareCard, type PreparedCard, type PreprocessOptions } from "./preprocess";
import { TesseractPool, type PageSegMode } from "./tesseract-pool";
import { wordsFromPage } from "./ocr-words";
import { parseCardText } from "./parse-card-text";
import { checkLostAccents } from "./accent-check";
import { decodeQr } from "./qr-decode";
import { mergeQr, parseQrPayload } from "./qr-payload";
import { defaultCachePath } from "./lang-data";
import { OcrTimeoutError } from "./errors";

/** Knobs the benchmark turns to measure each step; production uses DEFAULT_PIPELINE. */
export interface PipelineConfig {
  preprocess: PreprocessOptions;
  psm: PageSegMode;
  qr: boolean;
  /** re-run OCR on the card turned 180° (then 90°/270°) when the first pass reads poorly, keep the best pass */
  tryRotations: boolean;
}

export const DEFAULT_PIPELINE: PipelineConfig = {
  preprocess: DEFAULT_PREPROCESS,
  psm: "11",
  qr: true,
  // Only passes that read very poorly are retried, so upright cards pay nothing (docs/ocr.md).
  tryRotations: true,
};

interface OcrPass {
  words: OcrWord[];
  text: string;
  lineConfidences: number[];
  /** mean word confidence weighted by word length: how well this orientation reads */
  quality: number;
}

function passQuality(words: OcrWord[]): number {
  let sum = 0;
  let n = 0;
  for (const w of words) {
    const len = w.text.replace(/[^\p{L}\p{N}]/gu, "").length;
    if (len < 2) continue;
    sum += w.confidence * len;
    n += len;
  }
  // Few letters read at all is as bad as low confidence.
  return n ? (sum / n) * Math.min(1, n / 40) : 0;
}

async function rotateCard(card: PreparedCard, degrees: 90 | 180 | 270): Promise<PreparedCard> {
  const { width, height } = card;
  const [rgba, gray] = await Promise.all([
    sharp(card.rgba, { raw: { width, height, channels: 4 } }).rotate(degrees).raw().toBuffer(),
    sharp(card.gray, { raw: { width, height, channels: 1 } }).rotate(degrees).extractChannel(0).raw().toBuffer(),
  ]);
  const swap = degrees !== 180;
  return { ...card, rgba, gray, width: swap ? height : width, height: swap ? width : height };
}

/**
 * Below this pass quality the card is probably upside down or sideways (measured: upright fixture cards read at
 * ≥ 0.64, upside-down and sideways ones at 0.35–0.42), so the other orientations are tried.
 */
const ROTATE_BELOW_QUALITY = 0.5;

/** Time limit for the OCR of one card (all tesseract passes together), unless OCR_TIMEOUT_MS or the option says otherwise. */
export const DEFAULT_OCR_TIMEOUT_MS = 20_000;

export interface EngineOptions extends OcrEngineOptions {
  /** ms for the tesseract passes of one scan; the worker is restarted and scanCard rejects with OcrTimeoutError */
  ocrTimeoutMs?: number;
}

function timeoutFromEnv(): number {
  const v = Number(process.env.OCR_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_OCR_TIMEOUT_MS;
}

export function createOcrEngineWithConfig(opts: EngineOptions = {}, config: PipelineConfig = DEFAULT_PIPELINE): OcrEngine {
  const ocrTimeoutMs = opts.ocrTimeoutMs ?? timeoutFromEnv();
  const size = opts.size ?? Math.max(1, os.cpus().length);
  let pool: TesseractPool | null = null;
  let closed = false;
  // Lazily created: importing this module or creating the engine costs nothing until the first scan.
  const getPool = () => {
    if (closed) throw new Error("OCR engine is closed");
    pool ??= new TesseractPool({
      size,
      recycleAfter: opts.recycleAfter ?? 300,
      cachePath: opts.cachePath ?? defaultCachePath(),
      langs: opts.langs ?? ["eng", "vie"],
    });
    return pool;
  };

  async function ocr(card: PreparedCard, deadline: number): Promise<OcrPass> {
    const png = await grayToPng(card.gray, card.width, card.height);
    const left = deadline - performance.now();
    if (left <= 0) throw new OcrTimeoutError(ocrTimeoutMs);
    // The pass may use what is left of the scan's budget; a timeout names the configured limit.
    const page = await getPool().recognize(png, config.psm, left, ocrTimeoutMs);
    const { words, text, lineConfidences } = wordsFromPage(page);
    return { words, text, lineConfidences, quality: passQuality(words) };
  }

  async function scanCard(image: Buffer, scanOpts: ScanOptions = {}): Promise<CardScanResult> {
    const t0 = performance.now();
    const progress = scanOpts.onProgress ?? (() => undefined);
    getPool(); // fail fast when closed

    progress("preprocess", 0);
    const decoded = await decodeImage(image);
    let card = await prepareCard(decoded, config.preprocess);
    progress("preprocess", 100);

    progress("qr", 0);
    let qrText: string | null = null;
    if (config.qr) {
      // The flattened, upscaled card is the easiest to read; the original photo is the fallback.
      qrText = await decodeQr(card.rgba, card.width, card.height).catch(() => null);
      if (!qrText) qrText = await decodeQr(decoded.data, decoded.width, decoded.height).catch(() => null);
    }
    progress("qr", 100);

    progress("ocr", 0);
    const deadline = performance.now() + ocrTimeoutMs;
    const card0 = card;
    let pass = await ocr(card, deadline);
    if (config.tryRotations && pass.quality < ROTATE_BELOW_QUALITY) {
      // Upside-down or sideways cards read as low-confidence noise; the best-reading orientation wins.
      // The text lines' direction already fixed the axis in most cases, so 180° comes first.
      for (const deg of [180, 90, 270] as const) {
        const turned = await rotateCard(card0, deg);
        const next = await ocr(turned, deadline);
        if (next.quality > pass.quality + 0.05) {
          pass = next;
          card = turned;
        }
        if (pass.quality >= ROTATE_BELOW_QUALITY + 0.1) break;
      }
    }
    progress("ocr", 100);

    progress("parse", 0);
    let parsed = parseCardText(pass.text, { defaultRegion: scanOpts.defaultRegion, words: pass.words, lineConfidences: pass.lineConfidences });
    // Fields a QR code supplied are exact text: no accent check on them.
    const qrCard = qrText ? parseQrPayload(qrText, scanOpts.defaultRegion, { text: pass.text, phones: parsed.phones.map((p) => p.e164) }) : null;
    if (qrCard) parsed = mergeQr(parsed, qrCard);
    const fromQr = qrCard ? (Object.keys(qrCard.fields) as (keyof typeof qrCard.fields)[]).filter((k) => qrCard.fields[k]) : [];
    parsed = { ...parsed, ...checkLostAccents({ ...parsed, text: pass.text, skip: fromQr }) };
    const normalizedImage = await sharp(card.rgba, { raw: { width: card.width, height: card.height, channels: 4 } })
      .removeAlpha()
      .jpeg({ quality: 85 })
      .toBuffer();
    progress("parse", 100);

    return {
      ...parsed,
      text: pass.text,
      words: pass.words,
      normalizedImage,
      imageWidth: card.width,
      imageHeight: card.height,
      ms: Math.round(performance.now() - t0),
    };
  }

  return {
    scanCard,
    async close() {
      closed = true;
      const p = pool;
      pool = null;
      if (p) await p.close();
    },
  };
}

export function createOcrEngine(opts: EngineOptions = {}): OcrEngine {
  return createOcrEngineWithConfig(opts, DEFAULT_PIPELINE);
}
