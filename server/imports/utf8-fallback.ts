// UTF-8 that tolerates stray Windows-1252 bytes: a UTF-8 file with one cell pasted from an old Excel sheet, or two
// exports run together. Each byte that starts no valid UTF-8 sequence is read as the Windows-1252 character it is,
// and its line is noted, instead of the whole file being read as Windows-1252 (which garbles every "ễ").
// Deciding byte by byte (not on the whole file) also means a file's head decodes exactly as in the whole file,
// which keeps the preview (the first 256 KB) and the import the same.

/** Length (2-4) of the valid UTF-8 sequence at i, or 0 when the byte at i (≥ 0x80) starts none (RFC 3629 table). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) return cont(1, c === 0xe0 ? 0xa0 : 0x80, c === 0xed ? 0x9f : 0xbf) && cont(2) ? 3 : 0;
  if (c >= 0xf0 && c <= 0xf4) return cont(1, c === 0xf0 ? 0x90 : 0x80, c === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Non-ASCII bytes that form valid UTF-8 sequences, and those that do not. */
export function utf8Evidence(b: Uint8Array): { validBytes: number; invalidBytes: number } {
  let validBytes = 0;
  let invalidBytes = 0;
  for (let i = 0; i < b.length; ) {
    if (b[i] < 0x80) { i++; continue; }
    const n = sequenceLength(b, i);
    if (n) { validBytes += n; i += n; } else { invalidBytes++; i++; }
  }
  return { validBytes, invalidBytes };
}

export const MAX_NOTED_LINES = 5;

export interface Utf8WithFallback {
  text: string;
  /** The first MAX_NOTED_LINES line numbers (1-based) that had a byte read as Windows-1252. */
  lines: number[];
  /** How many lines had one. */
  lineCount: number;
}

export function decodeUtf8WithFallback(b: Uint8Array, windows1252: (byte: number) => string): Utf8WithFallback {
  const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  const parts: string[] = [];
  const lines: number[] = [];
  let lineCount = 0;
  let line = 1;
  let counted = 0; // line counts newlines before this offset
  let lastLine = 0; // the last line noted
  let runStart = 0;
  for (let i = 0; i < b.length; ) {
    if (b[i] < 0x80) { i++; continue; }
    const n = sequenceLength(b, i);
    if (n) { i += n; continue; }
    parts.push(utf8.decode(b.subarray(runStart, i)), windows1252(b[i]));
    for (; counted < i; counted++) if (b[counted] === 0x0a) line++;
    if (line !== lastLine) {
      lineCount++;
      if (lines.length < MAX_NOTED_LINES) lines.push(line);
      lastLine = line;
    }
    runStart = ++i;
  }
  parts.push(utf8.decode(b.subarray(runStart)));
  return { text: parts.join(""), lines, lineCount };
}
