"use client";
// A draft that is no longer there (it expired, or was confirmed or discarded on another device) while the rep still
// has what they typed on it: the contact is made from that instead of the work being lost with the draft. The card
// photo went with the draft; the fields, tags and note are what the rep had checked and typed.
// Shown only for a draft the server says is not there (NOT_FOUND, draft-review.tsx): a draft that could not be read
// for another reason (a 5xx, a 429, no connection) may still exist, and making the contact then would make a second one.
// Before creating, the team's contacts with the same email, phone or name are looked up (contacts.duplicatesOf): a
// draft confirmed on another device already made its contact, so that one is offered first, "Create anyway" second.
// What the draft's save never checked (its 404 came first) contacts.create may refuse: a phone typed without a
// country code that fits no country, a tag too long, a bad email. The typed values then open as a form here, each
// refused field marked with the server's message, so the rep corrects it on this page; what they type is kept in this
// tab's copy (draft-backup.ts), so a reload brings it back as well.
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { errorText } from "@/app/_lib/error-text";
import { TAG_SEPARATORS } from "@/server/contacts/tags";
import { clearDraftEdits, writeDraftEdits, type DraftEdits } from "./draft-backup";
import { FIELDS, NOTES_MAX, TAG_MAX, fieldErrorsOf, focusFirstMarked, type ErrorKey, type Key, type Values } from "./fields";
import { OtherPhonesField, fieldErrorsOf as pathErrorsOf, toInput, toRows, type OtherPhoneRow } from "../../contacts/other-phones-field";

interface Existing { id: string; fullName: string; company: string | null; email: string | null }

/** What the rep typed, as this page holds it while they correct it. */
interface GoneForm {
  values: Values;
  tags: string;
  notes: string;
  rows: OtherPhoneRow[];
}

/** The tag line as the tag box reads it: one tag between separators, trimmed, empty ones dropped. */
function tagsOfLine(line: string): string[] {
  return line.split(TAG_SEPARATORS).map((t) => t.trim()).filter(Boolean);
}

/** Rows as the rep typed them (kept in this tab), each with its own key. */
function typedRows(list: NonNullable<DraftEdits["otherPhones"]>): OtherPhoneRow[] {
  return toRows(list.map((r) => ({ type: r.type, e164: r.number }))).map((row, i) => ({ ...row, number: list[i].number }));
}

const clip = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);
const OTHER_PATH = /^otherPhones(?:\.(\d+)(\..*)?)?$/;

export function DraftGone({ id, edits }: { id: string; edits: DraftEdits | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<GoneForm | null>(() =>
    edits ? { values: { ...edits.values }, tags: edits.tags, notes: edits.notes, rows: typedRows(edits.otherPhones ?? []) } : null,
  );
  // The typed values as a form: once contacts.create refused a field (or the rep asked to change something first).
  const [editing, setEditing] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ErrorKey, string[]>>>({});
  // The refused other numbers, by their row in the form ("otherPhones.1"), as OtherPhonesField shows them.
  const [rowErrors, setRowErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [errorTick, setErrorTick] = useState(0);
  // The contacts that look like this one, once looked up: null before (or after a lookup that failed).
  const [existing, setExisting] = useState<Existing[] | null>(null);
  // Those the rep already chose "Create anyway" over: a check after a correction offers only new ones.
  const [passed, setPassed] = useState<ReadonlySet<string>>(() => new Set());
  const [checking, setChecking] = useState(false);
  // Whether the rep changed anything on this page: only then is this tab's copy rewritten (an untouched page leaves
  // it as the review page left it, and none where there was none).
  const changed = useRef(false);
  const create = useMutation(
    trpc.contacts.create.mutationOptions({
      onSuccess: (c) => {
        clearDraftEdits(id);
        router.push(`/contacts/${c.id}`);
      },
    }),
  );

  // What is typed here survives a reload as the review page's edits do: the reload finds the draft gone and opens
  // this page again with them.
  useEffect(() => {
    if (!form || !edits || !changed.current) return;
    writeDraftEdits(id, { values: form.values, tags: form.tags, notes: form.notes, otherPhones: toInput(form.rows), source: edits.source });
  }, [form, edits, id]);

  // After a refusal the first marked field takes the focus, as on the review page: a screen reader reads its message.
  useEffect(() => {
    if (errorTick) focusFirstMarked("gone", fieldErrors, rowErrors);
  }, [errorTick]); // eslint-disable-line react-hooks/exhaustive-deps

  const blank = (v: string) => (v.trim() ? v : null);
  const v = form?.values;

  function edit(change: Partial<GoneForm>) {
    changed.current = true;
    setForm((f) => (f ? { ...f, ...change } : f));
    // The contacts found were like the values before.
    setExisting(null);
  }

  /** contacts.create refused the call: the fields it names are marked, anything else is said above the button. */
  function showCreateError(e: unknown, sentRows: number[], sentTags: string[]) {
    const rows: Record<string, string[]> = {};
    const rest: Record<string, string[]> = {};
    for (const [path, messages] of Object.entries(pathErrorsOf(e))) {
      const m = OTHER_PATH.exec(path);
      // Empty rows were not sent: a message's index is the sent row's, shown under the form's row it came from.
      const key = !m ? null : m[1] === undefined ? "otherPhones" : `otherPhones.${sentRows[Number(m[1])] ?? m[1]}${m[2] ?? ""}`;
      if (key) (rows[key] ??= []).push(...messages);
      else (rest[path] ??= []).push(...messages);
    }
    const { fields, other } = fieldErrorsOf({ data: { fieldErrors: rest } });
    // zod's "Too big: expected string to have <=40 characters" for "tags.2": the tag itself, in plain words.
    const long = sentTags.filter((t) => t.length > TAG_MAX);
    if (fields.tags && long.length) fields.tags = long.map((t) => `The tag “${clip(t)}” is longer than ${TAG_MAX} characters (${t.length.toLocaleString("en")}).`);
    const marked = Object.keys(fields).length > 0 || Object.keys(rows).length > 0;
    if (!marked) {
      setError(errorText(e));
      return;
    }
    setFieldErrors(fields);
    setRowErrors(rows);
    setExisting(null);
    setEditing(true);
    setError([other.length ? other.join("; ") : null, "The contact was not created: check the marked fields."].filter(Boolean).join(" "));
    setErrorTick((t) => t + 1);
  }

  function createNow(passing: readonly string[] = []) {
    if (!form || !edits) return;
    const f = form;
    if (passing.length) setPassed((p) => new Set([...p, ...passing]));
    setError(null);
    // The other-number rows as the rep left them; empty rows are dropped (contacts.create would refuse them).
    const sentRows = f.rows.flatMap((r, i) => (r.number.trim() ? [i] : []));
    const tags = tagsOfLine(f.tags);
    create.mutate(
      {
        fullName: f.values.fullName, title: blank(f.values.title), company: blank(f.values.company), email: blank(f.values.email), phone: blank(f.values.phone),
        website: blank(f.values.website), address: blank(f.values.address), notes: blank(f.notes), tags, source: edits.source,
        otherPhones: sentRows.map((i) => ({ type: f.rows[i].type, number: f.rows[i].number })),
      },
      { onError: (e) => showCreateError(e, sentRows, tags) },
    );
  }

  async function checkThenCreate() {
    if (!v) return;
    setChecking(true);
    setError(null);
    create.reset();
    try {
      const input = { email: blank(v.email)?.slice(0, 300) ?? null, phone: blank(v.phone)?.slice(0, 100) ?? null, fullName: blank(v.fullName)?.slice(0, 500) ?? null, company: blank(v.company)?.slice(0, 500) ?? null };
      const found = (await queryClient.fetchQuery({ ...trpc.contacts.duplicatesOf.queryOptions(input), staleTime: 0 })).filter((c) => !passed.has(c.id));
      if (found.length) setExisting(found.map((c) => ({ id: c.id, fullName: c.fullName, company: c.company, email: c.email })));
      else createNow();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setChecking(false);
    }
  }

  const busy = checking || create.isPending;
  // py-3 on a phone: 44 px tap targets, as on the contact page; compact from sm up.
  const tap = "py-3 sm:py-2";
  const duplicates = existing?.length ? (
    <div className="space-y-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="draft-gone-duplicates">
      <p>
        {existing.length === 1 ? "A contact like this already exists" : `${existing.length} contacts like this already exist`} (the
        same email, phone or name): the draft may have been confirmed on another device.
      </p>
      <ul className="space-y-1">
        {existing.slice(0, 5).map((c) => (
          <li key={c.id} className="wrap-anywhere">
            <Link href={`/contacts/${c.id}`} className="font-medium text-indigo-700 underline">Open {c.fullName || c.email || "the contact"}</Link>
            {[c.company, c.email].filter(Boolean).length > 0 && <span className="text-amber-800"> · {[c.company, c.email].filter(Boolean).join(" · ")}</span>}
          </li>
        ))}
      </ul>
      {form?.notes && (
        <div>
          <p className="text-xs text-amber-800">Your note, to copy into it:</p>
          <p className="whitespace-pre-wrap wrap-anywhere rounded bg-white px-2 py-1 text-slate-800" data-testid="draft-gone-note">{form.notes}</p>
        </div>
      )}
      <button type="button" className={`btn-secondary ${tap}`} disabled={busy} onClick={() => createNow(existing.map((c) => c.id))}>
        {create.isPending ? "Creating…" : "Create anyway"}
      </button>
    </div>
  ) : null;
  const alert = error && <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 wrap-anywhere" data-testid="draft-gone-error">{error}</p>;

  return (
    <div className="card mx-auto max-w-md space-y-3" data-testid="draft-gone">
      <h1 className="text-lg font-semibold">This draft is no longer here</h1>
      <p className="text-sm text-slate-600">
        It expired (a draft waits 24 hours after its card was read or last saved), or it was confirmed or discarded on
        another device.
      </p>
      {form && v && (
        <>
          <p className="text-sm text-slate-700">
            What you typed on it is kept: <span className="font-medium wrap-anywhere">{v.fullName || v.email || v.company || "(no name)"}</span>
            {form.notes && <> with your note</>}. Make the contact from it; the card photo went with the draft.
          </p>
          {editing ? (
            <form className="space-y-3" noValidate data-testid="draft-gone-form" onSubmit={(e) => { e.preventDefault(); if (!busy) void checkThenCreate(); }}>
              {FIELDS.map((f) => (
                <div key={f.key}>
                  <FieldInput
                    field={f}
                    value={v[f.key]}
                    messages={fieldErrors[f.key]}
                    onChange={(value) => {
                      edit({ values: { ...v, [f.key]: value } });
                      if (fieldErrors[f.key]) setFieldErrors((fe) => ({ ...fe, [f.key]: undefined }));
                    }}
                  />
                  {f.key === "phone" && (
                    <div className="mt-3">
                      <OtherPhonesField
                        id="gone-other"
                        rows={form.rows}
                        readOnly={false}
                        errors={rowErrors}
                        onChange={(next) => {
                          // A row added or removed moves the others: the messages' row numbers no longer fit. A row
                          // being typed in loses its own message (and the list's), the others keep theirs.
                          const at = next.findIndex((r, i) => r !== form.rows[i]);
                          if (next.length !== form.rows.length) setRowErrors({});
                          else if (at >= 0) setRowErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => k !== "otherPhones" && k !== `otherPhones.${at}` && !k.startsWith(`otherPhones.${at}.`))));
                          edit({ rows: next });
                        }}
                      />
                    </div>
                  )}
                </div>
              ))}
              <div>
                <label htmlFor="gone-tags" className="label">Tags</label>
                <input
                  id="gone-tags"
                  name="tags"
                  autoComplete="off"
                  className={`input ${tap} ${fieldErrors.tags ? "border-rose-500 bg-rose-50" : ""}`}
                  value={form.tags}
                  aria-invalid={fieldErrors.tags ? true : undefined}
                  aria-describedby={fieldErrors.tags ? "gone-tags-error" : "gone-tags-help"}
                  onChange={(e) => {
                    edit({ tags: e.target.value });
                    if (fieldErrors.tags) setFieldErrors((fe) => ({ ...fe, tags: undefined }));
                  }}
                />
                {fieldErrors.tags ? (
                  <p id="gone-tags-error" className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid="gone-error-tags">{fieldErrors.tags.join(" ")}</p>
                ) : (
                  <p id="gone-tags-help" className="mt-1 text-xs text-slate-500">Separate tags with commas.</p>
                )}
              </div>
              <div>
                <label htmlFor="gone-notes" className="label">Notes</label>
                <textarea
                  id="gone-notes"
                  name="notes"
                  className={`input min-h-20 ${fieldErrors.notes ? "border-rose-500 bg-rose-50" : ""}`}
                  maxLength={NOTES_MAX}
                  value={form.notes}
                  aria-invalid={fieldErrors.notes ? true : undefined}
                  aria-describedby={fieldErrors.notes ? "gone-notes-error" : undefined}
                  onChange={(e) => {
                    edit({ notes: e.target.value });
                    if (fieldErrors.notes) setFieldErrors((fe) => ({ ...fe, notes: undefined }));
                  }}
                />
                {fieldErrors.notes && <p id="gone-notes-error" className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid="gone-error-notes">{fieldErrors.notes.join(" ")}</p>}
              </div>
              {alert}
              {duplicates ?? (
                <button type="submit" className={`btn-primary ${tap}`} disabled={busy}>
                  {checking ? "Checking for this contact…" : create.isPending ? "Creating…" : "Create the contact"}
                </button>
              )}
            </form>
          ) : (
            <>
              {duplicates ?? (
                <div className="flex flex-wrap gap-2">
                  <button type="button" className={`btn-primary ${tap}`} disabled={busy} onClick={() => void checkThenCreate()}>
                    {checking ? "Checking for this contact…" : create.isPending ? "Creating…" : "Create the contact from what you typed"}
                  </button>
                  <button type="button" className={`btn-secondary ${tap}`} disabled={busy} onClick={() => setEditing(true)}>
                    Change what you typed
                  </button>
                </div>
              )}
              {alert}
            </>
          )}
        </>
      )}
      <Link href="/drafts" className={`btn-secondary ${tap}`}>Back to drafts</Link>
    </div>
  );
}

/** One of the card's seven fields, as the review page shows it: its label, the server's message under it. */
function FieldInput({ field: f, value, messages, onChange }: { field: (typeof FIELDS)[number]; value: string; messages: string[] | undefined; onChange: (value: string) => void }) {
  const key: Key = f.key;
  const length = value.trim().length;
  return (
    <>
      <label htmlFor={`gone-${key}`} className="label">{f.label}</label>
      <input
        id={`gone-${key}`}
        name={key}
        type={f.type}
        maxLength={f.max}
        // The card's values, not the rep's: the browser must not offer the rep's own name, email or phone.
        autoComplete="off"
        inputMode={key === "website" ? "url" : undefined}
        autoCapitalize={key === "fullName" || key === "company" ? "words" : key === "website" || key === "email" ? "none" : undefined}
        className={`input py-3 sm:py-2 ${messages ? "border-rose-500 bg-rose-50" : ""}`}
        value={value}
        aria-invalid={messages ? true : undefined}
        aria-describedby={messages ? `gone-${key}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {messages && (
        <p id={`gone-${key}-error`} className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid={`gone-error-${key}`}>
          {length > f.max ? `Too long: at most ${f.max} characters, this has ${length.toLocaleString("en")}.` : messages.join(" ")}
        </p>
      )}
    </>
  );
}
