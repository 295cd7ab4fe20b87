// vCard 2.1 / 3.0 / 4.0 parser (RFC 2426, RFC 6350): line unfolding, groups, parameters (quoted, comma lists,
// bare 2.1 types), QUOTED-PRINTABLE, escapes, structured values. Only what a business card carries is interpreted.

export interface VCardProperty {
  name: string; // upper-case, without group
  params: Record<string, string[]>; // keys upper-case; values as written (TYPE values upper-cased)
  value: string; // raw (still escaped) value
}

/** Unfold continuation lines: CRLF/LF followed by one space or tab (and 2.1 quoted-printable soft breaks). */
function unfold(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1] += line.slice(1);
    else if (out.length && /=$/.test(out[out.length - 1]) && /ENCODING=QUOTED-PRINTABLE/i.test(out[out.length - 1].split(":")[0])) {
      out[out.length - 1] = out[out.length - 1].slice(0, -1) + line;
    } else out.push(line);
  }
  return out.filter((l) => l.trim().length > 0);
}

/** Split on `sep` outside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) { parts.push(cur); cur = ""; } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/**
 * Bytes of a QUOTED-PRINTABLE value -> text, given the property's CHARSET parameter. By default UTF-8 whatever the
 * CHARSET says (what a QR code holds); the contacts import passes a decoder that reads the named charset.
 */
export type CharsetDecoder = (bytes: Buffer, charset: string | undefined) => string;
const asUtf8: CharsetDecoder = (bytes) => bytes.toString("utf8");

export function parseVCardProperties(text: string, decode: CharsetDecoder = asUtf8): VCardProperty[] {
  const props: VCardProperty[] = [];
  for (const line of unfold(text)) {
    // The first ":" outside quotes separates name+params from the value.
    let colon = -1;
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') quoted = !quoted;
      if (line[i] === ":" && !quoted) { colon = i; break; }
    }
    if (colon < 0) continue;
    const [nameWithGroup, ...rawParams] = splitOutsideQuotes(line.slice(0, colon), ";");
    const name = nameWithGroup.replace(/^.*\./, "").trim().toUpperCase();
    const params: Record<string, string[]> = {};
    for (const p of rawParams) {
      const eq = p.indexOf("=");
      // vCard 2.1 allows bare types: TEL;CELL;VOICE:…
      const key = (eq < 0 ? "TYPE" : p.slice(0, eq)).trim().toUpperCase();
      const vals = eq < 0 ? [p] : splitOutsideQuotes(p.slice(eq + 1), ",");
      const clean = vals.map((v) => v.trim().replace(/^"|"$/g, "")).filter(Boolean).map((v) => (key === "TYPE" ? v.toUpperCase() : v));
      params[key] = [...(params[key] ?? []), ...clean];
    }
    let value = line.slice(colon + 1);
    if ((params.ENCODING ?? []).some((e) => /^QUOTED-PRINTABLE$/i.test(e))) value = decodeQuotedPrintable(value, (bytes) => decode(bytes, params.CHARSET?.[0]));
    props.push({ name, params, value });
  }
  return props;
}

function decodeQuotedPrintable(s: string, decode: (bytes: Buffer) => string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) { bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
    else bytes.push(...Buffer.from(s[i], "utf8"));
  }
  return decode(Buffer.from(bytes));
}

/** Text value unescaping (\n, \, \; \\). */
export function unescapeText(s: string): string {
  return s.replace(/\\([nN,;\\:])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

/** Structured value (N, ADR, ORG): split on unescaped ";", then unescape each component. */
export function structured(s: string): string[] {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && i + 1 < s.length) { cur += s[i] + s[i + 1]; i++; continue; }
    if (s[i] === ";") { parts.push(cur); cur = ""; continue; }
    cur += s[i];
  }
  parts.push(cur);
  return parts.map(unescapeText);
}

export function isVCard(text: string): boolean {
  return /^\s*BEGIN:VCARD/i.test(text);
}
