// Bytes of an uploaded file -> text. UTF-8 (with or without BOM), Windows-1252 (what Excel on Windows writes)
// when its non-ASCII bytes mostly are not UTF-8, UTF-16 with a BOM. A UTF-8 file with a few stray bytes stays
// UTF-8 (utf8-fallback.ts). Binary files (images, PDFs, zips, anything with NUL bytes) are refused with a 422.
import { AppError } from "../errors";
import { decodeUtf8WithFallback, utf8Evidence } from "./utf8-fallback";

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export type DetectedEncoding = "utf-8" | "utf-8-bom" | "windows-1252" | "utf-16le" | "utf-16be";

const MAGIC: [string, number[]][] = [
  ["a PDF", [0x25, 0x50, 0x44, 0x46]],
  ["a PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["a JPEG image", [0xff, 0xd8, 0xff]],
  ["a GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["a ZIP archive (e.g. .xlsx)", [0x50, 0x4b, 0x03, 0x04]],
  ["a gzip archive", [0x1f, 0x8b]],
];

/** What the browser sends for the preview (app/(app)/contacts/import/import-wizard.tsx PREVIEW_BYTES). */
export const PREVIEW_BYTES = 256 * 1024;

export interface DecodedImport {
  text: string;
  encoding: DetectedEncoding;
  /** UTF-8 with stray bytes: the lines (first few, and how many) whose stray bytes were read as Windows-1252. */
  readAsWindows1252?: { lines: number[]; lineCount: number };
}

/**
 * The bytes the preview decodes: all of a file sent whole, else the first PREVIEW_BYTES cut after the last line end
 * (so a multi-byte character is never split). The import decides its encoding on these same bytes.
 */
export function previewHead(bytes: Uint8Array, truncated = bytes.length > PREVIEW_BYTES): Uint8Array {
  if (!truncated) return bytes;
  const head = bytes.subarray(0, PREVIEW_BYTES);
  const nl = head.lastIndexOf(0x0a);
  return nl > 0 ? head.subarray(0, nl + 1) : head;
}

export function decodeImportBytes(bytes: Uint8Array): DecodedImport {
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new AppError("VALIDATION", `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB`, { details: { tooLarge: true } });
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  for (const [what, magic] of MAGIC) {
    if (magic.every((b, i) => bytes[i] === b)) throw notText(`it looks like ${what}`);
  }
  const head = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of head) {
    if (b === 0) throw notText("it contains NUL bytes");
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (head.length && control / head.length > 0.05) throw notText("it contains many control characters");
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: bom ? "utf-8-bom" : "utf-8" };
  } catch {
    // Not all valid UTF-8. A BOM says UTF-8; otherwise decide on the bytes the preview saw, so the preview and the
    // import always agree. When those hold no non-ASCII byte at all (the preview showed plain ASCII, the same
    // in either encoding), the whole file decides.
    let evidence = utf8Evidence(previewHead(bytes));
    if (!evidence.validBytes && !evidence.invalidBytes) evidence = utf8Evidence(bytes);
    if (!bom && evidence.invalidBytes > evidence.validBytes) {
      return { text: fixC1(new TextDecoder("windows-1252").decode(bytes)), encoding: "windows-1252" };
    }
    const { text, lines, lineCount } = decodeUtf8WithFallback(bom ? bytes.subarray(3) : bytes, (b) => cp1252C1(String.fromCharCode(b)));
    return { text, encoding: bom ? "utf-8-bom" : "utf-8", readAsWindows1252: { lines, lineCount } };
  }
}

/** The encoding as the preview shows it and ContactImport.encoding keeps it: "utf-8 (line 6002 … Windows-1252)". */
export function describeEncoding(d: DecodedImport): string {
  const fb = d.readAsWindows1252;
  if (!fb?.lineCount) return d.encoding;
  const more = fb.lineCount > fb.lines.length ? ` and ${fb.lineCount - fb.lines.length} more` : "";
  const which = `${fb.lineCount === 1 ? "line" : "lines"} ${fb.lines.join(", ")}${more}`;
  return `${d.encoding} (${which} not UTF-8: read as Windows-1252)`;
}

// Node's TextDecoder("windows-1252") decodes 0x80-0x9F as Latin-1 control characters
// (U+0080-U+009F) instead of the Windows-1252 characters (€ – “ ” …). Map them.
// A byte 0x80-0xFF read as Latin-1 (String.fromCharCode) is this map's input too.
const CP1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
function cp1252C1(ch: string): string {
  const c = ch.charCodeAt(0);
  return c >= 0x80 && c <= 0x9f ? CP1252_C1[c - 0x80] : ch;
}
function fixC1(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0080-\u009F]/g, cp1252C1);
}

/**
 * Bytes in a named charset (a vCard 2.1 value's CHARSET=…, e.g. UTF-8 from Android, ISO-8859-1 or Windows-1252 from
 * older phones and Outlook). The Windows-1252 family (which the WHATWG decoder also uses for ISO-8859-1) gets its
 * 0x80-0x9F range fixed as above. When no charset is named (older phones and Outlook write 8-bit QP values without
 * one) or the name is unknown: UTF-8 when the bytes are UTF-8, else read as the file decoder reads them
 * (decodeImportBytes): Windows-1252 when most of their non-ASCII bytes are not UTF-8, else UTF-8 with the stray
 * bytes as Windows-1252. "M=FCller" is "Müller", not "M\uFFFDller".
 */
export function decodeCharset(bytes: Uint8Array, charset?: string): string {
  let decoder: TextDecoder | undefined;
  try {
    if (charset?.trim()) decoder = new TextDecoder(charset.trim());
  } catch {
    decoder = undefined;
  }
  if (decoder) {
    const text = decoder.decode(bytes);
    return decoder.encoding === "windows-1252" ? fixC1(text) : text;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const { validBytes, invalidBytes } = utf8Evidence(bytes);
    if (invalidBytes > validBytes) return fixC1(new TextDecoder("windows-1252").decode(bytes));
    return decodeUtf8WithFallback(bytes, (b) => cp1252C1(String.fromCharCode(b))).text;
  }
}

function notText(why: string): AppError {
  return new AppError("VALIDATION", `This file is not a text CSV or vCard file (${why}). Upload a .csv or .vcf file.`, { details: { binary: true } });
}

/** Same check on text that arrived as a string (tRPC): NULs mean a binary file. */
export function assertTextLooksLikeText(text: string): void {
  const head = text.slice(0, 64 * 1024);
  if (head.includes("\u0000")) throw notText("it contains NUL characters");
  // eslint-disable-next-line no-control-regex
  const control = head.match(/[\u0001-\u0008\u000E-\u001F]/g)?.length ?? 0;
  if (head.length && control / head.length > 0.05) throw notText("it contains many control characters");
}
