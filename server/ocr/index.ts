// Public API of the OCR module (shared by the web app and the worker).
export type {
  FieldKey, CardFields, FieldConfidence, OcrWord, PhoneEntry, ParsedCard, CardScanResult, OcrEngine,
} from "./types";
export { parseCardText } from "./parse-card-text";
export { createOcrEngine } from "./engine";
export { ImageUnreadableError } from "./errors";
