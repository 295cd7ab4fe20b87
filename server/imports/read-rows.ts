// A decoded file -> the rows to import, in file order. Each row has the values of the
// contact fields or the reason it cannot be read. Deterministic, so a resumed import
// skips exactly the rows already done.
import { AppError } from "../errors";
import { clip, normalizeContactFields, normalizeTags, FIELD_LIMITS, type NormalizedFields, type OtherPhoneInput } from "../contacts/normalize";
import { OTHER_PHONE_TYPES, toOtherPhoneType } from "../contacts/other-phones";
import { parseCsv } from "./parse-csv";
import type { ImportField } from "./schemas";
import { looksLikeVcard, parseVcards, type ImportValues } from "./vcard";

export type ImportKind = "csv" | "linkedin" | "vcard";
/** `raw`: a CSV record's cells as in the file, kept for the problems download (the file itself is erased). */
export interface ImportRow { row: number; values?: ImportValues; error?: string; raw?: string[] }

export function detectKind(text: string): "csv" | "vcard" {
  return looksLikeVcard(text) ? "vcard" : "csv";
}

/**
 * Fields that several columns may fill, and what joins their values (in column order, empty cells left out).
 * An address exported in parts (HubSpot's Street Address, City, State/Region, Postal Code, Country/Region) is
 * one line again: "1 Main St, Hanoi, 100000, Vietnam", and its country tells the phone's (normalize.ts).
 */
const JOINERS: Partial<Record<ImportField, string>> = { notes: "\n", tags: ",", otherPhones: "; ", address: ", ", otherEmails: "; ", otherWebsites: "; " };

/**
 * The apostrophe a spreadsheet-safe export puts before a cell starting with = + - @ TAB or CR (neutralizeCell,
 * server/contacts/export-contacts.ts) is taken off again: exactly one, and only before one of those characters,
 * so "'-Minus Person" imports as "-Minus Person" and "'=" as "=", while "'Tis", "O'Neil", "'" and "''=x" stay as
 * they are. (A value that itself starts with "'=" exports unchanged and so comes back without its apostrophe.)
 */
export function unneutralizeCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function readRows(text: string, kind: ImportKind, mapping?: ImportField[] | null): ImportRow[] {
  return readImport(text, kind, mapping).rows;
}

/** The rows, and for a CSV its header (null for vCard), so the problem rows can be written back as the file had them. */
export function readImport(text: string, kind: ImportKind, mapping?: ImportField[] | null): { rows: ImportRow[]; headers: string[] | null } {
  if (kind === "vcard") {
    return { rows: parseVcards(text).map((c) => (c.error ? { row: c.index, error: c.error } : { row: c.index, values: c.values })), headers: null };
  }
  const csv = parseCsv(text);
  const map = mapping ?? [];
  const rows: ImportRow[] = csv.problems.map((p) => ({ row: p.line, error: p.reason }));
  for (const r of csv.records) {
    if (r.fields.every((f) => !f.trim())) continue;
    if (r.fields.length !== csv.headers.length) {
      rows.push({ row: r.line, error: `row has ${r.fields.length} field${r.fields.length === 1 ? "" : "s"}, the header has ${csv.headers.length}`, raw: r.fields });
      continue;
    }
    const values: ImportValues = {};
    r.fields.forEach((raw, i) => {
      const field = map[i] ?? "ignore";
      if (field === "ignore") return;
      const v = unneutralizeCell(raw.trim()).trim();
      if (!v) return;
      if (field in JOINERS) values[field] = values[field] ? `${values[field]}${JOINERS[field]}${v}` : v;
      else values[field] ??= v;
    });
    rows.push({ row: r.line, values, raw: r.fields });
  }
  return { rows: rows.sort((a, b) => a.row - b.row), headers: csv.headers };
}

export function validateMapping(mapping: ImportField[]): void {
  if (!mapping.some((m) => m === "fullName" || m === "firstName" || m === "lastName")) {
    throw new AppError("VALIDATION", "Map at least one column to Full name, First name or Last name", { details: { fieldErrors: { mapping: ["no name column"] } } });
  }
}

export interface RowContact { fields: NormalizedFields & { fullName: string }; tags: string[] }

/** Import values -> normalized contact fields, or the reason the row is invalid. */
export function rowToContact(values: ImportValues): { ok: true; contact: RowContact } | { ok: false; reason: string } {
  const fullName = values.fullName ?? [values.firstName, values.lastName].filter(Boolean).join(" ");
  let notes = values.notes ?? "";
  if (values.connectedOn) notes = [notes, `Connected on LinkedIn: ${values.connectedOn}`].filter(Boolean).join("\n");
  notes = notesWithOthers(notes, values);
  const { fields, errors } = normalizeContactFields(
    {
      fullName,
      title: values.title,
      company: values.company,
      email: values.email,
      phone: values.phone,
      website: values.website,
      linkedinUrl: values.linkedinUrl,
      address: values.address,
      notes: notes || undefined,
      otherPhones: importedOtherPhones(values),
    },
    { requireName: true },
  );
  const tags = normalizeTags((values.tags ?? "").split(/[,;|]/));
  if (tags.some((t) => t.length > FIELD_LIMITS.tag)) errors.tags = `a tag is longer than ${FIELD_LIMITS.tag} characters`;
  if (tags.length > FIELD_LIMITS.tags) errors.tags = `more than ${FIELD_LIMITS.tags} tags`;
  if (Object.keys(errors).length) {
    const who = fullName ? ` (${clip(fullName, 40)})` : "";
    return { ok: false, reason: Object.values(errors).join("; ") + who };
  }
  return { ok: true, contact: { fields: fields as RowContact["fields"], tags } };
}

/**
 * The row's emails and websites beyond the one of each a contact holds (a vCard's second EMAIL or URL, a CSV's
 * "E-mail 2 Address"), on lines of their own after its notes: "Other emails: home@example.com", "Other websites:
 * https://b.example", as a manual merge keeps the address it did not choose (merge-contacts.ts). Before, they were
 * dropped without a word. What is added is cut to fit FIELD_LIMITS.notes ("…"), never the row's own notes.
 */
function notesWithOthers(notes: string, values: ImportValues): string {
  const lines = [
    othersLine("Other emails", values.otherEmails, /[\s,;]+/, [values.email]),
    othersLine("Other websites", values.otherWebsites, /[\s;]+/, [values.website, values.linkedinUrl]),
  ].filter(Boolean);
  if (!lines.length) return notes;
  const added = lines.join("\n");
  const room = FIELD_LIMITS.notes - notes.length - (notes ? 1 : 0);
  if (room <= 1) return notes;
  return [notes, added.length > room ? `${added.slice(0, room - 1)}…` : added].filter(Boolean).join("\n");
}

/** "Label: a, b" for the items of `list` that are not already stored (case ignored) nor repeated; "" when none. */
function othersLine(label: string, list: string | undefined, separator: RegExp, stored: (string | undefined)[]): string {
  const seen = new Set(stored.map((s) => s?.trim().toLowerCase()).filter(Boolean));
  const items: string[] = [];
  for (const item of (list ?? "").split(separator)) {
    const text = item.trim();
    if (!text || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    items.push(text);
  }
  return items.length ? `${label}: ${items.join(", ")}` : "";
}

const TYPED_COLUMNS = [["mobilePhone", "mobile"], ["workPhone", "work"], ["homePhone", "home"], ["fax", "fax"]] as const;
const LEADING_TYPE = new RegExp(`^(${[...OTHER_PHONE_TYPES, "cell"].join("|")})\\b[\\s:]*`, "i");

/**
 * The row's numbers beyond "phone": the typed columns (Mobile, Work phone, Home phone, Fax), then the list column,
 * "mobile +49 1522 8817889; fax +49 69 90009048" as the CSV export writes it and vCard import passes it on (a
 * number without a type word is "other"). Undefined when the row has none, so a merge leaves the contact's alone.
 */
export function importedOtherPhones(values: ImportValues): OtherPhoneInput[] | undefined {
  const list: OtherPhoneInput[] = [];
  for (const [field, type] of TYPED_COLUMNS) if (values[field]) list.push({ type, number: values[field]! });
  for (const item of (values.otherPhones ?? "").split(";")) {
    const text = item.trim();
    if (!text) continue;
    const m = LEADING_TYPE.exec(text);
    list.push({ type: toOtherPhoneType(m?.[1]), number: m ? text.slice(m[0].length) : text });
  }
  return list.length ? list : undefined;
}
