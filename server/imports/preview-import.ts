// contacts.previewImport: the first rows of a file with auto-detected columns, so the
// user can check and adjust the mapping before starting the import.
import { clip } from "../contacts/normalize";
import { AppError } from "../errors";
import { assertTextLooksLikeText } from "./decode";
import { autoMapping, parseCsv } from "./parse-csv";
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, type ImportField } from "./schemas";
import { looksLikeVcard, parseVcards } from "./vcard";

export interface ImportPreview {
  kind: "csv" | "linkedin" | "vcard";
  headers: string[];
  mapping: ImportField[];
  rows: string[][];
  fieldOptions: { value: ImportField; label: string }[];
  encoding?: string;
}

const PREVIEW_ROWS = 5;

export function previewImport(input: { text: string; encoding?: string }): ImportPreview {
  const text = input.text;
  assertTextLooksLikeText(text);
  const fieldOptions = IMPORT_FIELDS.map((value) => ({ value, label: IMPORT_FIELD_LABELS[value] }));
  if (looksLikeVcard(text)) {
    const cards = parseVcards(text).slice(0, PREVIEW_ROWS);
    const headers = ["Name", "Company", "Title", "Email", "Phone"];
    return {
      kind: "vcard",
      headers,
      mapping: ["fullName", "company", "title", "email", "phone"],
      rows: cards.map((c) => (c.values ? [c.values.fullName, c.values.company, c.values.title, c.values.email, c.values.phone].map((v) => clip(v ?? "", 120)) : [`(card ${c.index}: ${c.error})`, "", "", "", ""])),
      fieldOptions,
      encoding: input.encoding,
    };
  }
  // Only the head is needed; cut at a line end so the last row is whole.
  const head = text.length > 200_000 ? text.slice(0, text.lastIndexOf("\n", 200_000) + 1 || 200_000) : text;
  const csv = parseCsv(head);
  if (!csv.headers.length || csv.headers.every((h) => !h)) throw new AppError("VALIDATION", "The file has no header row");
  return {
    kind: csv.linkedin ? "linkedin" : "csv",
    headers: csv.headers.map((h) => clip(h, 80)),
    mapping: autoMapping(csv.headers, csv.linkedin),
    rows: csv.records.slice(0, PREVIEW_ROWS).map((r) => r.fields.map((f) => clip(f, 120))),
    fieldOptions,
    encoding: input.encoding,
  };
}
