// Public types of the OCR module. Other code (web, worker) depends on exactly these shapes.

export type FieldKey = "fullName" | "title" | "company" | "email" | "phone" | "website" | "address";

export const FIELD_KEYS: readonly FieldKey[] = ["fullName", "title", "company", "email", "phone", "website", "address"];

export type CardFields = Record<FieldKey, string | null>;

/** 0..1 per field; null when the field is null. */
export type FieldConfidence = Record<FieldKey, number | null>;

export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  /** index of the text line (0-based) the word belongs to; line i of `text` is made of the words with line === i */
  line: number;
}

export interface PhoneEntry {
  e164: string;
  type: "mobile" | "work" | "fax" | "other";
  raw: string;
}

export interface ParsedCard {
  fields: CardFields;
  confidence: FieldConfidence;
  phones: PhoneEntry[];
  fax: string | null;
  /** indices into `words` that each field came from (for highlighting on the photo); {} for pasted text */
  sourceWords: Partial<Record<FieldKey, number[]>>;
  qr: { kind: "vcard" | "mecard" | "url" | "text"; raw: string } | null;
  /** Why a field needs a second look, with a proposed spelling (accent-check.ts); OCR only. */
  hints?: Partial<Record<FieldKey, { message: string; suggestion: string }>>;
}

export interface CardScanResult extends ParsedCard {
  /** the OCR text (all lines) */
  text: string;
  /** boxes are in the coordinates of `normalizedImage` */
  words: OcrWord[];
  /** JPEG of the cropped/deskewed/upright card that the boxes refer to */
  normalizedImage: Buffer;
  imageWidth: number;
  imageHeight: number;
  ms: number;
}

export interface ParseOptions {
  /** ISO country like "VN", "US" used for numbers printed without a country code */
  defaultRegion?: string;
  words?: OcrWord[];
  /** OCR confidence (0..1) of each text line, index = line number */
  lineConfidences?: number[];
}

export type ScanPhase = "preprocess" | "qr" | "ocr" | "parse";

export interface ScanOptions {
  defaultRegion?: string;
  onProgress?: (phase: ScanPhase, percent: number) => void;
}

export interface OcrEngine {
  scanCard(image: Buffer, opts?: ScanOptions): Promise<CardScanResult>;
  close(): Promise<void>;
}

export interface OcrEngineOptions {
  /** number of tesseract workers; default = cpu count */
  size?: number;
  /** jobs per tesseract worker before it is re-created (WASM memory never shrinks); default 300 */
  recycleAfter?: number;
  /** writable folder for tesseract's unpacked language data */
  cachePath?: string;
  /** default ["eng", "vie"] */
  langs?: string[];
}

export function emptyFields(): CardFields {
  return { fullName: null, title: null, company: null, email: null, phone: null, website: null, address: null };
}

export function emptyConfidence(): FieldConfidence {
  return { fullName: null, title: null, company: null, email: null, phone: null, website: null, address: null };
}
