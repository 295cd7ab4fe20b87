// vCard 2.1 (what Android Contacts' "Export .vcf", older phones and Outlook write) -> the 3.0 card that ical.js reads.
// ical.js reads only 3.0 and 4.0, and refused every 2.1 card over its bare types ("TEL;CELL:"), so a rep's whole
// phone export imported nothing. The 2.1 part is the OCR module's reader (server/ocr/vcard.ts, which also reads QR
// codes): line unfolding, QUOTED-PRINTABLE with its soft line breaks, bare types as TYPE. Its QP bytes are read in
// the value's CHARSET here (decodeCharset), not always as UTF-8; without a CHARSET, bytes that are not UTF-8 are
// read as Windows-1252 (older phones and Outlook write Latin-1 QP values without naming it).
import { parseVCardProperties } from "../ocr/vcard";
import { decodeCharset } from "./decode";

export function isVcard21(block: string): boolean {
  return /^VERSION:[ \t]*2\.1[ \t]*\r?$/im.test(block);
}

/**
 * Only the properties cardValues (vcard.ts) reads are carried over: anything else a 2.1 card holds (PHOTO's base64
 * lines, X-ANDROID-CUSTOM, LABEL …) cannot then stop ical.js from reading the card.
 */
const READ = new Set(["FN", "N", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "URL", "X-SOCIALPROFILE", "ADR", "NOTE", "CATEGORIES"]);
/** TEXT-valued in 3.0: ical.js splits these at a bare "," and reads "\" as an escape; 2.1 has neither rule. */
const TEXT = new Set(["FN", "N", "ORG", "TITLE", "ROLE", "ADR", "NOTE"]);

/** A 2.1 value as 3.0 writes it: in 2.1 only "\;" (inside N, ADR, ORG) is an escape, any other "\" or "," is text. */
function value30(name: string, value: string): string {
  if (name === "CATEGORIES") return value.replace(/[\r\n]+/g, " "); // "," separates categories in both versions
  if (!TEXT.has(name)) return value.replace(/[\r\n]+/g, " ").trim();
  return value.replace(/\\(?!;)/g, "\\\\").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/** One 2.1 card (BEGIN … END) as a 3.0 card: bare types become TYPE=, QP is decoded, other parameters are dropped. */
export function vcard21To30(block: string): string {
  // 2.1 also allows the encoding as a bare parameter ("NOTE;QUOTED-PRINTABLE:…"); the OCR reader knows only
  // ENCODING=QUOTED-PRINTABLE, also for joining the soft line breaks.
  const named = block.replace(/^([^:\r\n]*;)QUOTED-PRINTABLE(?=[;:])/gim, "$1ENCODING=QUOTED-PRINTABLE");
  const lines = ["BEGIN:VCARD", "VERSION:3.0"];
  for (const p of parseVCardProperties(named, decodeCharset)) {
    if (!READ.has(p.name)) continue;
    const types = (p.params.TYPE ?? []).filter((t) => /^[A-Z0-9-]+$/.test(t));
    lines.push(`${p.name}${types.length ? `;TYPE=${types.join(",")}` : ""}:${value30(p.name, p.value)}`);
  }
  lines.push("END:VCARD");
  return lines.join("\r\n") + "\r\n";
}
