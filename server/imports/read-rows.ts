// A decoded file -> the rows to import, in file order. Each row has the values of the
// contact fields or the reason it cannot be read. Deterministic, so a resumed import
// skips exactly the rows already done.
import { AppError } from "../errors";
import { clip, normalizeContactFields, normalizeTags, FIELD_LIMITS, type NormalizedFields } from "../contacts/normalize";
import { parseCsv } from "./parse-csv";
import type { ImportField } from "./schemas";
import { looksLikeVcard, parseVcards, type ImportValues } from "./vcard";

export type ImportKind = "csv" | "linkedin" | "vcard";
export interface ImportRow { row: number; values?: ImportValues; error?: string }

export function detectKind(text: string): "csv" | "vcard" {
  return looksLikeVcard(text) ? "vcard" : "csv";
}

export function readRows(text: string, kind: ImportKind, mapping?: ImportField[] | null): ImportRow[] {
  if (kind === "vcard") {
    return parseVcards(text).map((c) => (c.error ? { row: c.index, error: c.error } : { row: c.index, values: c.values }));
  }
  const csv = parseCsv(text);
  const map = mapping ?? [];
  const rows: ImportRow[] = csv.problems.map((p) => ({ row: p.line, error: p.reason }));
  for (const r of csv.records) {
    if (r.fields.every((f) => !f.trim())) continue;
    if (r.fields.length !== csv.headers.length) {
      rows.push({ row: r.line, error: `row has ${r.fields.length} field${r.fields.length === 1 ? "" : "s"}, the header has ${csv.headers.length}` });
      continue;
    }
    const values: ImportValues = {};
    r.fields.forEach((raw, i) => {
      const field = map[i] ?? "ignore";
      if (field === "ignore") return;
      const v = raw.trim();
      if (!v) return;
      if (field === "notes" || field === "tags") values[field] = values[field] ? `${values[field]}${field === "tags" ? "," : "\n"}${v}` : v;
      else values[field] ??= v;
    });
    rows.push({ row: r.line, values });
  }
  return rows.sort((a, b) => a.row - b.row);
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
