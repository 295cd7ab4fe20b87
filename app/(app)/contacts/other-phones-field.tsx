"use client";
// "Other numbers" of a contact form: the mobile, office line and fax beyond the one Phone field
// (docs/contacts.md, "Other phone numbers"). One row per number: its type, the number as typed, Remove.
import { formatPhone, telHref } from "@/server/contacts/contact-links";
import { MAX_OTHER_PHONES, OTHER_PHONE_LABELS, OTHER_PHONE_TYPES, type OtherPhone, type OtherPhoneType } from "@/server/contacts/other-phones";

export interface OtherPhoneRow {
  /** Stable React key: rows are removed from the middle. */
  key: number;
  type: OtherPhoneType;
  number: string;
}

let nextKey = 0;
/** Stored numbers as editable rows, shown the way people read them (+49 1522 8817889). */
export function toRows(phones: readonly OtherPhone[]): OtherPhoneRow[] {
  return phones.map((p) => ({ key: nextKey++, type: p.type, number: formatPhone(p.e164) }));
}

/** What contacts.create / update take. Every row is sent, empty ones too, so an error's index is the row's. */
export function toInput(rows: readonly OtherPhoneRow[]): { type: OtherPhoneType; number: string }[] {
  return rows.map((r) => ({ type: r.type, number: r.number }));
}

/**
 * The field errors of a failed save, by path ("otherPhones.1", "phone"): the server names them in a 422, from zod
 * ("otherPhones.1.type") or from the phone rules (details.fieldErrors).
 */
export function fieldErrorsOf(e: unknown): Record<string, string[]> {
  const data = (e as { data?: { fieldErrors?: unknown; details?: { fieldErrors?: unknown } } } | null)?.data;
  const out: Record<string, string[]> = {};
  for (const source of [data?.fieldErrors, data?.details?.fieldErrors]) {
    if (!source || typeof source !== "object") continue;
    for (const [path, messages] of Object.entries(source as Record<string, unknown>)) {
      if (Array.isArray(messages)) (out[path] ??= []).push(...messages.filter((m): m is string => typeof m === "string"));
    }
  }
  return out;
}

/** A row's messages: "otherPhones.1" and its parts ("otherPhones.1.number"). */
function rowErrors(errors: Record<string, string[]>, i: number): string[] {
  return Object.entries(errors).flatMap(([path, messages]) => (path === `otherPhones.${i}` || path.startsWith(`otherPhones.${i}.`) ? messages : []));
}

export function OtherPhonesField({ id, rows, onChange, readOnly, errors = {} }: { id: string; rows: OtherPhoneRow[]; onChange: (rows: OtherPhoneRow[]) => void; readOnly: boolean; errors?: Record<string, string[]> }) {
  if (readOnly) {
    return (
      <div data-testid="other-phones">
        <span className="label">Other numbers</span>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">None</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {rows.map((r) => {
              const tel = telHref(r.number);
              return (
                <li key={r.key}>
                  <span className="text-slate-600">{OTHER_PHONE_LABELS[r.type]}: </span>
                  {tel ? <a className="text-indigo-700 hover:underline" href={tel}>{r.number}</a> : r.number}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    );
  }
  const set = (key: number, change: Partial<OtherPhoneRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const listError = errors.otherPhones;
  return (
    <div className="space-y-2" data-testid="other-phones" role="group" aria-labelledby={`${id}-heading`}>
      <span className="label" id={`${id}-heading`}>Other numbers</span>
      {rows.map((r, i) => {
        const messages = rowErrors(errors, i);
        const errorId = `${id}-${i}-error`;
        return (
          <div key={r.key} className="flex flex-wrap items-end gap-2" data-testid="other-phone-row">
            <div>
              <label className="label" htmlFor={`${id}-${i}-type`}>Type<span className="sr-only"> of other number {i + 1}</span></label>
              <select id={`${id}-${i}-type`} className="input" value={r.type} onChange={(e) => set(r.key, { type: e.target.value as OtherPhoneType })}>
                {OTHER_PHONE_TYPES.map((t) => <option key={t} value={t}>{OTHER_PHONE_LABELS[t]}</option>)}
              </select>
            </div>
            <div className="min-w-48 flex-1">
              <label className="label" htmlFor={`${id}-${i}-number`}>Other number {i + 1}</label>
              <input
                id={`${id}-${i}-number`}
                type="tel"
                className="input"
                maxLength={40}
                value={r.number}
                aria-invalid={messages.length ? true : undefined}
                aria-describedby={messages.length ? errorId : undefined}
                onChange={(e) => set(r.key, { number: e.target.value })}
              />
            </div>
            <button type="button" className="btn-secondary" aria-label={`Remove other number ${i + 1}`} onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>Remove</button>
            {messages.length > 0 && <p id={errorId} className="w-full text-sm text-rose-700">{messages.join(" ")}</p>}
          </div>
        );
      })}
      {listError && <p className="text-sm text-rose-700">{listError.join(" ")}</p>}
      {rows.length < MAX_OTHER_PHONES ? (
        <button type="button" className="btn-secondary" onClick={() => onChange([...rows, { key: nextKey++, type: rows.length ? "other" : "mobile", number: "" }])}>Add number</button>
      ) : (
        <p className="text-xs text-slate-500">At most {MAX_OTHER_PHONES} other numbers.</p>
      )}
    </div>
  );
}
