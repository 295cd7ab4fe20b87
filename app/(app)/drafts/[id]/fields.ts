// The seven fields of a draft as the review page shows them. `max` is the longest value the
// server accepts (server/drafts/schemas.ts, draftFieldsInput); it is repeated here, not
// imported, so the page's bundle does not carry zod. e2e/draft-review.spec.ts checks each
// input's maxlength against that schema, so the two cannot drift apart unnoticed.
export const FIELDS = [
  { key: "fullName", label: "Name", type: "text", max: 200 },
  { key: "title", label: "Title", type: "text", max: 200 },
  { key: "company", label: "Company", type: "text", max: 200 },
  { key: "email", label: "Email", type: "email", max: 254 },
  { key: "phone", label: "Phone", type: "tel", max: 40 },
  { key: "website", label: "Website", type: "text", max: 253 },
  { key: "address", label: "Address", type: "text", max: 500 },
] as const;
export type Key = (typeof FIELDS)[number]["key"];
export type Values = Record<Key, string>;

/** The rep's own note: a contact's notes limit (server/contacts/normalize.ts, FIELD_LIMITS.notes). */
export const NOTES_MAX = 10_000;
/** The longest tag a contact may have (server/contacts/normalize.ts, FIELD_LIMITS.tag): named in a refused tag's message. */
export const TAG_MAX = 40;
/** Fields of the form beyond the card's seven: the rep's tags and note (server/drafts/draft-extras.ts). */
export type ErrorKey = Key | "tags" | "notes";

const KEYS = new Set<string>([...FIELDS.map((f) => f.key), "tags", "notes"]);

/**
 * The field errors of a failed update/confirm, by field key. They arrive in two places: zod's
 * input check answers 422 with `data.fieldErrors` keyed by the input path
 * (`"fields.fullName"`), and the server's own checks (a bad email or phone, a missing name)
 * put them in `data.details.fieldErrors` keyed by the bare name. Anything that names no field
 * of the form is returned under `other`, to be shown with the general message.
 */
export function fieldErrorsOf(e: unknown): { fields: Partial<Record<ErrorKey, string[]>>; other: string[] } {
  const data = (e as { data?: { fieldErrors?: unknown; details?: { fieldErrors?: unknown } } } | null)?.data;
  const fields: Partial<Record<ErrorKey, string[]>> = {};
  const other: string[] = [];
  for (const source of [data?.fieldErrors, data?.details?.fieldErrors]) {
    if (!source || typeof source !== "object") continue;
    for (const [path, messages] of Object.entries(source as Record<string, unknown>)) {
      if (!Array.isArray(messages)) continue;
      const texts = messages.filter((m): m is string => typeof m === "string");
      // "tags.0": zod names the entry of the tags list; the form has one tags box.
      const key = path.replace(/^fields\./, "").replace(/^tags\.\d+$/, "tags");
      if (KEYS.has(key)) (fields[key as ErrorKey] ??= []).push(...texts);
      else other.push(...texts);
    }
  }
  return { fields, other };
}

/**
 * After a refusal, the first marked field takes the focus: on a phone it may be far above the buttons, and a screen
 * reader then reads its message (aria-describedby). In the form's order, the other numbers right after Phone; for
 * them the first row with a message, or (a message on the whole list) the first row. `prefix`: the form's id prefix
 * ("f" on the review page, "gone" on the gone draft's form).
 */
export function focusFirstMarked(prefix: string, fieldErrors: Partial<Record<ErrorKey, string[]>>, rowErrors: Record<string, string[]>): void {
  const order = [...FIELDS.flatMap((f) => (f.key === "phone" ? [f.key, "otherPhones"] : [f.key])), "tags", "notes"];
  const first = order.find((k) => (k === "otherPhones" ? Object.keys(rowErrors).length > 0 : fieldErrors[k as ErrorKey]?.length));
  if (first === "otherPhones") {
    const row = Object.keys(rowErrors).map((k) => Number(k.split(".")[1])).filter((i) => Number.isInteger(i)).sort((a, b) => a - b)[0] ?? 0;
    (document.getElementById(`${prefix}-other-${row}-number`) ?? document.getElementById(`${prefix}-other-heading`))?.focus();
  } else if (first) document.getElementById(`${prefix}-${first}`)?.focus();
}
