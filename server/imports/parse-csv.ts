// CSV reading with csv-parse: delimiter detection, LinkedIn "Connections.csv" detection
// (a few lines of notes before the header), column auto-mapping, and recovery from
// malformed rows so one bad line becomes one "invalid row" instead of failing the file.
import { parse } from "csv-parse/sync";
import type { ImportField } from "./schemas";

export interface CsvRecord { line: number; fields: string[] }
export interface CsvProblem { line: number; reason: string }
export interface ParsedCsv {
  linkedin: boolean;
  delimiter: string;
  headerLine: number;
  headers: string[];
  records: CsvRecord[];
  problems: CsvProblem[];
}

const LINKEDIN_HEADER = /^\uFEFF?"?First Name"?,"?Last Name"?,"?URL"?,/i;
const MAX_RECOVERIES = 1000;

/** The line index (0-based) where LinkedIn's header starts, or -1. */
export function findLinkedInHeader(lines: string[]): number {
  for (let i = 0; i < Math.min(lines.length, 40); i++) if (LINKEDIN_HEADER.test(lines[i])) return i;
  return -1;
}

export function detectDelimiter(headerLine: string): string {
  const counts = [",", ";", "\t", "|"].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ",";
}

function lineStartOffsets(text: string, fromLine: number): number {
  // Offset of the start of line `fromLine` (1-based) in text.
  let offset = 0;
  for (let l = 1; l < fromLine; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset;
}

/**
 * Where each record of a text starts and ends, in 1-based lines, from the byte offset where csv-parse finished it
 * (`info.bytes`: the previous record's end is where this one's bytes begin). Not csv-parse's own `lines` count: that
 * is the line where a record ends, and in a CRLF file it counts a line break inside a quoted cell twice, so every
 * later row of such a file was reported a line too far. The cursor only moves forward: O(file) for all records.
 */
function recordLines(text: string) {
  const buf = Buffer.from(text, "utf8");
  let pos = 0;
  let line = 1;
  let prevEnd = 0;
  /** The line of the byte at `offset` (offsets never decrease between calls). */
  const lineAt = (offset: number) => {
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= offset) break;
      line++;
      pos = nl + 1;
    }
    return line;
  };
  const isBreak = (b: number | undefined) => b === 10 || b === 13;
  return (end: number): { start: number; end: number } => {
    let first = prevEnd;
    while (first < end - 1 && isBreak(buf[first])) first++; // the empty lines csv-parse skipped before it
    let last = end - 1;
    while (last > first && isBreak(buf[last])) last--; // its record delimiter
    prevEnd = end;
    return { start: lineAt(first), end: lineAt(last) };
  };
}

/**
 * All records of `text` (header included), each with the 1-based line where it starts in
 * the whole file (a quoted cell with line breaks makes a record span several lines; the
 * admin looks for the row where it begins). When csv-parse stops on a broken quote, the
 * record that caused it is reported and parsing resumes on the next line.
 */
export function parseCsvRecords(text: string, delimiter: string, lineOffset = 0): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let rest = text;
  let base = lineOffset;
  for (let attempt = 0; ; attempt++) {
    let lastEnd = 0;
    const linesOf = recordLines(rest);
    try {
      parse(rest, {
        delimiter,
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        on_record: (record: string[], ctx: { bytes: number }) => {
          const at = linesOf(ctx.bytes);
          records.push({ line: base + at.start, fields: record });
          lastEnd = at.end;
          return null;
        },
      });
      return { records, problems };
    } catch (e) {
      const err = e as { code?: string; message?: string };
      // The broken record starts on the first non-blank line after the last good one.
      const lines = rest.split("\n");
      let bad = lastEnd + 1;
      while (bad <= lines.length && !lines[bad - 1].trim()) bad++;
      if (bad > lines.length) return { records, problems };
      const reason =
        err.code === "CSV_QUOTE_NOT_CLOSED" ? "unbalanced quotes: a quoted field is never closed"
        : err.code === "CSV_INVALID_CLOSING_QUOTE" ? "malformed quotes: text follows a closing quote"
        : `malformed CSV (${(err.message ?? "parse error").split(" at line")[0]})`;
      problems.push({ line: base + bad, reason });
      if (attempt >= MAX_RECOVERIES) {
        problems.push({ line: base + bad + 1, reason: `too many malformed rows: the rest of the file was not read` });
        return { records, problems };
      }
      rest = rest.slice(lineStartOffsets(rest, bad + 1));
      base += bad;
    }
  }
}

export function parseCsv(text: string): ParsedCsv {
  // A lone CR is a line break too: old Mac Excel's "CSV (Macintosh)" ends every line with one. Made "\n" here, once,
  // for the whole file, so the header search and every row's line number see the same lines.
  const clean = text.replace(/^\uFEFF/, "").replace(/\r(?!\n)/g, "\n");
  const lines = clean.split("\n", 60);
  const li = findLinkedInHeader(lines);
  const linkedin = li >= 0;
  const headerIndex = linkedin ? li : Math.max(0, lines.findIndex((l) => l.trim() !== ""));
  const delimiter = linkedin ? "," : detectDelimiter(lines[headerIndex] ?? "");
  const body = clean.slice(lineStartOffsets(clean, headerIndex + 1));
  const { records, problems } = parseCsvRecords(body, delimiter, headerIndex);
  const header = records.shift();
  const headers = (header?.fields ?? []).map((h) => h.trim());
  return { linkedin, delimiter, headerLine: header?.line ?? headerIndex + 1, headers, records, problems };
}

const SYNONYMS: [ImportField, RegExp][] = [
  ["fullName", /^(full ?name|name|contact( name)?|display ?name|ho ?ten|ho va ten)$/],
  ["firstName", /^(first ?name|given ?name|forename|first)$/],
  ["lastName", /^(last ?name|family ?name|surname|last)$/],
  ["title", /^(title|job ?title|position|role|designation|chuc vu)$/],
  ["company", /^(company|company ?name|organi[sz]ation|org|employer|account( name)?|cong ty)$/],
  // "email": EMAIL_RANKS below (the columns are ranked, not first-column-wins).
  ["phone", /^(phone|phone ?number|telephone|tel|so dien thoai|dien thoai)$/],
  ["website", /^(website|web ?site|web|url|homepage|home ?page|site|(website|web ?site|web|company ?website) ?url|web ?address|website ?1 ?value)$/],
  ["linkedinUrl", /^(linkedin|linkedin ?url|linkedin ?profile|profile ?url)$/],
  ["notes", /^(notes?|comments?|description|remarks?)$/],
  ["tags", /^(tags?|labels?|categories|category|groups?)$/],
  ["connectedOn", /^(connected ?on)$/],
];

function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase().replace(/[_\-.]+/g, " ").replace(/\s+/g, " ").trim();
}

// Columns of a kind of number. The first of them that is not a fax (and no "Phone" column before it) is the phone,
// as before; the others fill the contact's other numbers with their type. A fax is never the phone: nobody calls it.
const PHONE_KINDS: [ImportField, RegExp][] = [
  ["fax", /^((business |work |home |office )?fax( ?number)?|telefax)$/],
  ["mobilePhone", /^(mobile|mobile ?(phone|number)|mobile ?phone ?number|cell|cell ?phone|cellphone|cell ?(phone ?)?number|handy|mobil|di dong)$/],
  ["workPhone", /^((work|business|office) ?(phone|number)|office|direct ?(line|phone)?)$/],
  ["homePhone", /^(home ?(phone|number)?|private ?phone)$/],
  ["otherPhones", /^(other ?(phones?|numbers?)|additional ?phones?|phone ?[2-9]|telephone ?[2-9])$/],
];

// A second or third address or website (Outlook's "E-mail 2 Address", Google's "E-mail 2 - Value"): a contact holds
// one of each, so these go into its notes ("Other emails: …", read-rows.ts) instead of being ignored. So does a second
// column of the field itself ("Email" and "Personal Email").
const OTHER_EMAIL = /^(e ?mail ?[2-9]( ?(address|value))?|(secondary|other|alternate|alternative|additional) ?e ?mail( ?address)?)$/;
const OTHER_WEBSITE = /^(website|web ?site|web ?page|url) ?[2-9]( ?value)?$/;
const SECOND: Partial<Record<ImportField, ImportField>> = { email: "otherEmails", website: "otherWebsites" };

// Which email column is the contact's email when a file has several: the plain one (Outlook's "E-mail Address",
// Google's "E-mail 1 - Value"), else the work one, else a personal one; the others go to Other emails. Ranked, not
// first-column-wins: "Name, Home Email, Email" made the home address the email, and a B2B campaign went to it.
const EMAIL_RANKS: RegExp[] = [
  /^(e ?mail|e ?mail ?address|e ?mail ?1( ?(address|value))?|primary ?e ?mail( ?address)?)$/,
  /^(work|business) ?e ?mail( ?address)?$/,
  /^(personal|private|home) ?e ?mail( ?address)?$/,
];

/** The rank (0 best) of an email column, or -1 when the header is not one of the email field's. */
function emailRank(f: string): number {
  return EMAIL_RANKS.findIndex((re) => re.test(f));
}

/** The field of a phone-like column, given which fields earlier columns took; null when the header is not a number's. */
function phoneColumn(f: string, used: Set<ImportField>): ImportField | null {
  const kind = PHONE_KINDS.find(([, re]) => re.test(f))?.[0];
  const generic = SYNONYMS.find(([field, re]) => field === "phone" && re.test(f));
  if (!kind && !generic) return null;
  if (kind !== "fax" && kind !== "otherPhones" && !used.has("phone")) return "phone";
  // A second "Phone"/"Telephone" column, or a second column of one kind: its numbers join the list.
  if (!kind || used.has(kind)) return "otherPhones";
  return kind;
}

// An address in parts, as CRMs and address books export it: HubSpot "Street Address, City, State/Region, Postal
// Code, Country/Region"; Salesforce "Mailing Street, Mailing City, Mailing State/Province, Mailing Zip/Postal Code,
// Mailing Country"; Outlook "Business Street, Business Street 2, Business City, Business State, Business Postal
// Code, Business Country/Region" (then Home …, Other …); Google Contacts "Address 1 - Formatted, Address 1 - Street,
// Address 1 - City, Address 1 - Region, …". Every part maps to Address, and read-rows.ts joins them in column order.
const ADDRESS_GROUP = /^(?:(business|work|office|company|home|private|personal|other|mailing|billing|shipping|primary|main) |address (\d+) )?(.+)$/;
const ADDRESS_PART =
  /^(address|street|street ?address|mailing ?address|postal ?address|dia chi|(street|street ?address|address|address ?line) ?[1-9]|extended ?address|p ?o ?box|city|town|suburb|city ?\/ ?town|state|province|prefecture|state ?(\/|or) ?(region|province)|state ?province|zip|zip ?code|postal ?code|post ?code|postcode|zip ?\/ ?postal ?code|postal ?\/ ?zip ?code|country|country ?(\/|or) ?region|country ?region)$/;
// Too vague alone ("Region" may be a sales region, "Line 1" anything): an address part only after a group's name.
const ADDRESS_PART_IN_GROUP = /^(region|line ?[1-9]|formatted( ?address)?|address)$/;

/** The address group ("" when unnamed, "business", "home", "address 1" …) and part of a column, or null. */
export function addressColumn(f: string): { group: string; part: string } | null {
  const m = ADDRESS_GROUP.exec(f);
  if (!m) return null;
  const group = m[1] ?? (m[2] ? `address ${m[2]}` : "");
  const part = m[3];
  if (ADDRESS_PART.test(part) || (group && ADDRESS_PART_IN_GROUP.test(part))) return { group, part };
  return null;
}

/**
 * Best guess of the field each column holds. LinkedIn's URL column is the profile. Address columns: those of the
 * first address group in the file (Outlook's Business before its Home and Other ones; Google's Address 1 before
 * Address 2); when that group has a whole formatted address (Google), that column alone.
 */
export function autoMapping(headers: string[], linkedin: boolean): ImportField[] {
  const used = new Set<ImportField>();
  const folded = headers.map(fold);
  const addresses = folded.map((f) => (linkedin ? null : addressColumn(f)));
  const group = addresses.find((a) => a)?.group;
  const formatted = addresses.some((a) => a && a.group === group && a.part.startsWith("formatted"));
  const ranks = folded.map((f) => (linkedin && f === "url" ? -1 : emailRank(f)));
  let email = -1; // the column that is the email: the first of the best rank
  ranks.forEach((r, i) => {
    if (r >= 0 && (email < 0 || r < ranks[email])) email = i;
  });
  return folded.map((f, i) => {
    if (linkedin && f === "url") return "linkedinUrl";
    if (linkedin && f === "email address") return "email";
    const phone = phoneColumn(f, used);
    if (phone) {
      used.add(phone);
      return phone;
    }
    const address = addresses[i];
    if (address) return address.group === group && (!formatted || address.part.startsWith("formatted")) ? "address" : "ignore";
    if (OTHER_EMAIL.test(f)) return "otherEmails";
    if (OTHER_WEBSITE.test(f)) return "otherWebsites";
    if (ranks[i] >= 0) return i === email ? "email" : "otherEmails";
    const hit = SYNONYMS.find(([, re]) => re.test(f))?.[0];
    if (hit && used.has(hit) && SECOND[hit]) return SECOND[hit];
    // Two columns for one single-valued field: keep the first, ignore the next ones.
    if (!hit || (used.has(hit) && hit !== "notes" && hit !== "tags")) return "ignore";
    used.add(hit);
    return hit;
  });
}
