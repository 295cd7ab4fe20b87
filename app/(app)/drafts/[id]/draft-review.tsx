"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { PhotoWithBoxes, WordCrop } from "./photo-with-boxes";
import { ExpiresIn } from "../expires-in";
import { ConflictPanel, type Conflict } from "./conflict-panel";
import { FIELDS, NOTES_MAX, fieldErrorsOf, focusFirstMarked, type ErrorKey, type Key, type Values } from "./fields";
import { formatPhone } from "@/server/contacts/contact-links";
import { MAX_OTHER_PHONES, toOtherPhoneType } from "@/server/contacts/other-phones";
import { clearDraftEdits, readDraftEdits, writeDraftEdits, type DraftEdits } from "./draft-backup";
import { OtherPhonesField, fieldErrorsOf as otherPhoneErrorsOf, toInput, toRows, type OtherPhoneRow } from "../../contacts/other-phones-field";
import { DraftGone } from "./draft-gone";
import { errorText } from "@/app/_lib/error-text";

/** The server's "this draft is not there" (expired, confirmed or discarded elsewhere), as opposed to any other failure. */
const isNotFound = (e: unknown) => (e as { data?: { code?: string } } | null)?.data?.code === "NOT_FOUND";

// Below this the field is highlighted for a second look.
const LOW_FIELD_CONFIDENCE = 0.75;

/** What the previous review ended with, for the one-line notice on the next draft. */
interface Handover { text: string; contactId: string | null; left: number }

// Handed from one draft's page to the next across a client-side navigation: the notice is
// for this moment only (a reload or a link opened later should not repeat it), so it is
// neither in the URL nor in storage. page.tsx keys the component by id, so the next draft
// mounts afresh and reads it once.
let handover: Handover | null = null;

export function DraftReview({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const draft = useQuery({ ...trpc.drafts.get.queryOptions({ id }), retry: false, staleTime: Infinity });
  const [values, setValues] = useState<Values | null>(null);
  const [focused, setFocused] = useState<Key | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ErrorKey, string[]>>>({});
  // The rep's own tags (one comma-separated line, as on the scan page) and note: not the card's
  // fields, so kept apart from `values` (no confidence, no word boxes, not in a merge preview).
  const [tags, setTags] = useState<string | null>(null);
  const [notes, setNotes] = useState("");
  // The contact's other numbers (mobile, fax, a second line), as on the contact page: first what confirm would save,
  // the card's numbers no field holds; sent only once the rep changes them (then that list is the contact's).
  const [rows, setRows] = useState<OtherPhoneRow[] | null>(null);
  // The 422's messages for them, by path ("otherPhones.1"): the rows show them (OtherPhonesField).
  const [rowErrors, setRowErrors] = useState<Record<string, string[]>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [askDiscard, setAskDiscard] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [notice] = useState<Handover | null>(() => handover);
  const [errorTick, setErrorTick] = useState(0);
  // Restored from this tab's copy after a reload (draft-backup.ts): said once, above the form.
  const [restored, setRestored] = useState(false);
  // The draft went away under an open page (expired, or handled on another device): a save or confirm got 404.
  const [gone, setGone] = useState(false);
  // What the form held when it was last loaded or saved: the edits since are the unsaved ones. (Not the server's
  // values: it stores a typed "0912 345 678" as +84912345678, which is no edit of the rep's.)
  const [base, setBase] = useState<FormState | null>(null);
  const cropRef = useRef<HTMLDivElement>(null);
  // The card's rows as the fields now stand (see shownRows below), kept while they stay the same: stable row keys.
  const cardRowsCache = useRef<{ sig: string; rows: OtherPhoneRow[] } | null>(null);

  useEffect(() => {
    handover = null;
  }, []);

  useEffect(() => {
    if (draft.data && !values) {
      const v = {} as Values;
      for (const f of FIELDS) v[f.key] = draft.data.fields[f.key] ?? "";
      const loadedRows = toRows(draft.data.otherPhones);
      const loaded: FormState = { values: v, tags: draft.data.tags.join(", "), notes: draft.data.notes ?? "", otherPhones: toInput(loadedRows) };
      setBase(loaded);
      const kept = readDraftEdits(id);
      // A copy kept before the page had other numbers has none: the draft's own are shown.
      const keptState = kept ? { ...kept, otherPhones: kept.otherPhones ?? loaded.otherPhones } : null;
      const start = keptState && isDirty(loaded, keptState) ? keptState : loaded;
      setValues(start.values);
      setTags(start.tags);
      setNotes(start.notes);
      setRows(start === loaded ? loadedRows : typedRows(start.otherPhones));
      setRestored(start !== loaded);
    }
  }, [draft.data, values, id]);

  // Unsaved edits are copied to this tab's storage as they are typed, and dropped once saved (the saved draft then
  // holds them); leaving the page with some makes the browser ask first.
  const dirty = !!base && !!values && tags !== null && !!rows && isDirty(base, { values, tags, notes, otherPhones: toInput(rows) });
  useEffect(() => {
    if (!draft.data || !values || tags === null || !rows) return;
    if (dirty) writeDraftEdits(id, { values, tags, notes, otherPhones: toInput(rows), source: draft.data.source as DraftEdits["source"] });
    else clearDraftEdits(id);
  }, [dirty, values, tags, notes, rows, id, draft.data]);
  useEffect(() => {
    if (!dirty) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [dirty]);

  // After a failed save, the first marked field takes the focus (focusFirstMarked).
  useEffect(() => {
    if (errorTick) focusFirstMarked("f", fieldErrors, rowErrors);
  }, [errorTick]); // eslint-disable-line react-hooks/exhaustive-deps

  // On a phone the crop under the focused field may be hidden by the keyboard.
  useEffect(() => {
    if (focused) requestAnimationFrame(() => cropRef.current?.scrollIntoView({ block: "nearest" }));
  }, [focused]);

  // The saved draft replaces the cached one: the page may come back to this draft (the next
  // draft after a confirm elsewhere), and must then start from what was saved.
  const update = useMutation(
    trpc.drafts.update.mutationOptions({
      onSuccess: (view, sent) => {
        queryClient.setQueryData(trpc.drafts.get.queryKey({ id }), view);
        // Rows the rep did not change were not sent: the server worked them out again from the saved fields (a
        // number moved into Phone leaves them, the one it replaced joins them). They are shown, unless the rep
        // started changing the rows meanwhile.
        let savedRows = sent.otherPhones?.map((r) => ({ type: r.type, number: r.number }));
        if (!savedRows) {
          const fresh = toRows(view.otherPhones);
          const before = base?.otherPhones ?? [];
          setRows((cur) => (!cur || sameRows(toInput(cur), before) ? fresh : cur));
          savedRows = toInput(fresh);
        }
        // What was sent is saved now: the form holds no unsaved edits until the next keystroke.
        setBase({ values: sent.fields as Values, tags: sent.tags?.[0] ?? "", notes: sent.notes ?? "", otherPhones: savedRows });
        setRestored(false);
      },
    }),
  );
  const confirm = useMutation(trpc.drafts.confirm.mutationOptions());
  const discard = useMutation(trpc.drafts.discard.mutationOptions());

  const highlight = useMemo(() => new Set(focused ? draft.data?.sourceWords[focused] ?? [] : []), [focused, draft.data]);

  if (draft.isError) {
    // Only a draft the server says is not there is gone. A 5xx, a 429 or no connection says nothing about the draft:
    // it may still be waiting, and "make the contact from what you typed" would then make a second one.
    if (!isNotFound(draft.error)) {
      return (
        <div className="card mx-auto max-w-md text-center" data-testid="draft-load-error">
          <h1 className="text-lg font-semibold">The draft could not be loaded</h1>
          <p role="alert" className="mt-2 text-sm text-rose-700 wrap-anywhere">{errorText(draft.error)}</p>
          <p className="mt-1 text-sm text-slate-600">What you typed on it is still kept in this tab.</p>
          <div className="mt-4 flex flex-wrap justify-center gap-2">
            <button type="button" className="btn-primary" disabled={draft.isFetching} onClick={() => void draft.refetch()}>
              {draft.isFetching ? "Trying…" : "Try again"}
            </button>
            <Link href="/drafts" className="btn-secondary">Back to drafts</Link>
          </div>
        </div>
      );
    }
    const kept = readDraftEdits(id);
    if (kept) return <DraftGone id={id} edits={kept} />;
    return (
      <div className="card mx-auto max-w-md text-center">
        <h1 className="text-lg font-semibold">Draft not found</h1>
        <p className="mt-2 text-sm text-slate-600">It may have been confirmed, discarded or expired.</p>
        <Link href="/drafts" className="btn-secondary mt-4">Back to drafts</Link>
      </div>
    );
  }
  if (!draft.data || !values || tags === null || !rows) return <p className="text-sm text-slate-500">Loading…</p>;
  const d = draft.data;
  if (gone) return <DraftGone id={id} edits={{ values, tags, notes, otherPhones: toInput(rows), source: d.source as DraftEdits["source"] }} />;

  function showError(e: unknown) {
    if (isNotFound(e)) {
      setGone(true);
      return;
    }
    // The other numbers' messages go under their rows ("otherPhones.1", zod's "otherPhones.1.number"), the rest to the fields.
    const numbers = Object.fromEntries(Object.entries(otherPhoneErrorsOf(e)).filter(([k]) => isOtherPhonesPath(k)));
    const { fields, other } = fieldErrorsOf(withoutOtherPhones(e));
    const message = (e as { message?: string })?.message ?? "Something went wrong";
    const marked = Object.keys(fields).length > 0 || Object.keys(numbers).length > 0;
    setFieldErrors(fields);
    setRowErrors(numbers);
    // zod's own words ("Invalid input") say nothing a rep can act on once the fields are marked.
    setError(marked ? [other.length ? other.join("; ") : null, "Check the marked fields."].filter(Boolean).join(" ") : [message, ...other].join(" "));
    if (marked) setErrorTick((t) => t + 1);
  }

  /**
   * After a confirm or a discard: the next draft still waiting, if any, else `fallback`.
   * Reviewing a batch means going from draft to draft; opening each new contact in between
   * cost a round trip per card. "Next" follows the drafts list's order (newest first): the
   * first draft listed after this one, or, from the end of the list, its first.
   */
  async function goOn(text: string, contactId: string | null, fallback: string) {
    setLeaving(true);
    clearDraftEdits(id);
    void queryClient.invalidateQueries({ queryKey: trpc.dashboard.summary.queryKey() });
    let rest: { id: string; createdAt: Date }[] = [];
    try {
      const list = await queryClient.fetchQuery({ ...trpc.drafts.list.queryOptions(), staleTime: 0 });
      rest = list.filter((x) => x.id !== id);
    } catch {
      // The list could not be read: the contact (or the list page) is still a fine place to land.
    }
    const next = rest.find((x) => x.createdAt.getTime() <= d.createdAt.getTime()) ?? rest[0];
    if (next) {
      handover = { text, contactId, left: rest.length };
      router.push(`/drafts/${next.id}`);
    } else {
      router.push(fallback);
    }
  }

  /**
   * What "Save draft" and "Confirm" send: the card's fields, the tags line (the server splits it at commas), the note,
   * and the other numbers once the rep has changed them (every row, empty ones too, so a message's index is the row's).
   * Unchanged rows are not sent: the draft keeps working them out from the card, as confirm did before the rows existed.
   */
  function payload() {
    const changed = !base || !sameRows(toInput(rows!), base.otherPhones);
    return { id, fields: values!, tags: [tags!], notes, ...(changed ? { otherPhones: toInput(rows!) } : {}) };
  }

  async function saveAndConfirm(opts: { mergeInto?: string; force?: boolean } = {}) {
    setError(null);
    setFieldErrors({});
    setRowErrors({});
    let saved: Awaited<ReturnType<typeof update.mutateAsync>>;
    try {
      saved = await update.mutateAsync(payload());
    } catch (e) {
      showError(e);
      return;
    }
    try {
      const { contactId, merged } = await confirm.mutateAsync({ id, ...opts });
      const name = saved.fields.fullName ?? "the contact";
      await goOn(merged ? `Merged ${name} into the existing contact` : `Saved ${name}`, contactId, `/contacts/${contactId}`);
    } catch (e) {
      const err = e as { message: string; data?: { appCode?: string; details?: Record<string, unknown> } };
      if (err.data?.appCode === "CONFLICT" && err.data.details?.existingContactId) {
        setConflict({ message: err.message, matches: (err.data.details.matches ?? []) as Conflict["matches"], card: saved.fields, tags: saved.tags });
      } else {
        showError(e);
      }
    }
  }

  async function discardDraft() {
    setError(null);
    try {
      await discard.mutateAsync({ id });
    } catch (e) {
      showError(e);
      return;
    }
    const name = values!.fullName.trim();
    await goOn(name ? `Discarded ${name}'s draft` : "Discarded the draft", null, "/drafts");
  }

  const busy = update.isPending || confirm.isPending || discard.isPending || leaving;
  // No connection: React Query holds the call until the browser is back online, then sends it.
  const offline = update.isPaused || confirm.isPaused || discard.isPaused;
  const cropFor = focused && d.image ? d.sourceWords[focused] ?? [] : [];
  // Rows the rep has not changed follow the fields as confirm will (card-notes.ts): a card number typed into Phone
  // leaves them, the one it replaced joins them. Sent neither way: the server works them out again on save.
  let shownRows = rows;
  if (!d.otherPhonesEdited && base && sameRows(toInput(rows), base.otherPhones)) {
    const now = cardRowsFor(d.cardNumbers, values);
    if (!sameRows(now, base.otherPhones)) {
      const sig = JSON.stringify(now);
      if (cardRowsCache.current?.sig !== sig) cardRowsCache.current = { sig, rows: typedRows(now) };
      shownRows = cardRowsCache.current.rows;
    }
  }
  // Numbers the card gave that the form no longer holds anywhere (removed or corrected by the rep, or past the 10
  // rows): named once, so a number removed by mistake can be typed back.
  const notInForm = d.cardNumbers.filter((p) => !heldIn(p.e164, [...Object.values(values), ...shownRows.map((r) => r.number)]));
  return (
    <div className="space-y-4">
      {notice && (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 wrap-anywhere" data-testid="review-notice">
          {notice.text} — {notice.left} left.
          {notice.contactId && <> <Link href={`/contacts/${notice.contactId}`} className="font-medium text-indigo-700 underline">Open the contact</Link></>}
        </p>
      )}
      {restored && (
        <p role="status" className="rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid="edits-restored">
          What you typed before the page reloaded is back. It is not saved yet: Save draft or Confirm.
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Review draft</h1>
        <ExpiresIn at={d.expiresAt} />
      </div>
      {/* grid-cols-1 and min-w-0: a grid item is otherwise at least as wide as its longest
          unbreakable word, so one long URL in the pasted text widened the whole page. */}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="min-w-0">
          {d.image ? (
            <PhotoWithBoxes url={d.image.url} originalUrl={d.image.originalUrl} width={d.image.width} height={d.image.height} words={d.words} highlight={highlight} />
          ) : (
            // wrap-anywhere (overflow-wrap: anywhere) also lowers the block's min-content
            // width, which break-words does not. A long text scrolls, so the box is a named,
            // focusable region (keyboard users can scroll it; axe "scrollable-region-focusable").
            <pre className="card max-h-96 overflow-auto whitespace-pre-wrap text-sm wrap-anywhere" data-testid="raw-text" tabIndex={0} role="region" aria-label="Pasted text">{d.rawInput}</pre>
          )}
        </div>
        <form className="card min-w-0 space-y-3" noValidate onSubmit={(e) => { e.preventDefault(); void saveAndConfirm(); }}>
          {FIELDS.map((f) => {
            const conf = d.confidence[f.key];
            const low = conf !== null && conf < LOW_FIELD_CONFIDENCE && !d.edited.includes(f.key);
            const value = values[f.key];
            // "Accents?": shown while the field still holds what the OCR read.
            const hint = d.hints[f.key] && value === (d.fields[f.key] ?? "") ? d.hints[f.key] : undefined;
            const messages = fieldErrors[f.key];
            const describedBy = [messages ? `f-${f.key}-error` : null, hint ? `f-${f.key}-hint` : null].filter(Boolean).join(" ") || undefined;
            const length = value.trim().length;
            return (
              <div key={f.key}>
                <label htmlFor={`f-${f.key}`} className="label flex flex-wrap items-center justify-between gap-x-2">
                  <span>{f.label}</span>
                  {low && <span className="badge bg-amber-100 text-amber-800" data-testid={`low-${f.key}`}>check this · {Math.round((conf ?? 0) * 100)}%</span>}
                </label>
                <input
                  id={`f-${f.key}`}
                  name={f.key}
                  type={f.type}
                  // The server's limit: typing or pasting stops there. A longer value read by
                  // the OCR is still shown whole, and the server's answer marks it.
                  maxLength={f.max}
                  // The card's values, not the rep's: the browser must not offer the rep's own name, email or phone.
                  autoComplete="off"
                  inputMode={f.key === "website" ? "url" : undefined}
                  autoCapitalize={f.key === "fullName" || f.key === "company" ? "words" : f.key === "website" || f.key === "email" ? "none" : undefined}
                  className={`input ${messages ? "border-rose-500 bg-rose-50" : low ? "border-amber-400 bg-amber-50" : ""}`}
                  value={value}
                  aria-invalid={messages ? true : undefined}
                  aria-describedby={describedBy}
                  onFocus={() => setFocused(f.key)}
                  onBlur={() => setFocused(null)}
                  onChange={(e) => {
                    setValues({ ...values, [f.key]: e.target.value });
                    if (messages) setFieldErrors((fe) => ({ ...fe, [f.key]: undefined }));
                    // The duplicate check and the merge preview were for the values before.
                    setConflict(null);
                  }}
                />
                {messages && (
                  <p id={`f-${f.key}-error`} className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid={`error-${f.key}`}>
                    {/* zod's "Too big: expected string to have <=200 characters" in plain words. */}
                    {length > f.max ? `Too long: at most ${f.max} characters, this has ${length.toLocaleString("en")}.` : messages.join(" ")}
                  </p>
                )}
                {hint && (
                  <p id={`f-${f.key}-hint`} className="mt-1 text-xs text-amber-900 wrap-anywhere" data-testid={`hint-${f.key}`}>
                    {hint.message}{" "}
                    <button
                      type="button"
                      className="font-medium text-indigo-700 underline"
                      onClick={() => {
                        setValues({ ...values, [f.key]: hint.suggestion });
                        setConflict(null);
                      }}
                    >
                      Use “{hint.suggestion}”
                    </button>
                  </p>
                )}
                {focused === f.key && cropFor.length > 0 && (
                  <div ref={cropRef} className="lg:hidden">
                    <WordCrop url={d.image!.url} width={d.image!.width} height={d.image!.height} words={d.words} indices={cropFor} />
                  </div>
                )}
                {f.key === "phone" && (
                  <div className="mt-3 space-y-1">
                    <OtherPhonesField
                      id="f-other"
                      rows={shownRows}
                      readOnly={false}
                      errors={rowErrors}
                      onChange={(next) => {
                        // A row added or removed moves the others: the messages' row numbers no longer fit. A row
                        // being typed in loses its own message (and the list's), the others keep theirs.
                        const changed = next.findIndex((r, i) => r !== shownRows[i]);
                        if (next.length !== shownRows.length) setRowErrors({});
                        else if (changed >= 0) {
                          setRowErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => k !== "otherPhones" && k !== `otherPhones.${changed}` && !k.startsWith(`otherPhones.${changed}.`))));
                        }
                        setRows(next);
                      }}
                    />
                    {notInForm.length > 0 && (
                      <p className="text-xs text-slate-500 wrap-anywhere" data-testid="card-numbers">
                        Also on the card, not in this form: {notInForm.map((p) => `${formatPhone(p.e164)} (${p.type})`).join(", ")}.
                      </p>
                    )}
                  </div>
                )}
              </div>
            );
          })}
          <div>
            <label htmlFor="f-tags" className="label">Tags</label>
            <input
              id="f-tags"
              name="tags"
              className={`input ${fieldErrors.tags ? "border-rose-500 bg-rose-50" : ""}`}
              placeholder="web-summit-2026, vip"
              value={tags}
              aria-invalid={fieldErrors.tags ? true : undefined}
              aria-describedby={fieldErrors.tags ? "f-tags-error" : "f-tags-help"}
              onChange={(e) => {
                setTags(e.target.value);
                if (fieldErrors.tags) setFieldErrors((fe) => ({ ...fe, tags: undefined }));
                // The merge preview lists the tags a merge adds: it was for the tags before.
                setConflict(null);
              }}
            />
            {fieldErrors.tags ? (
              <p id="f-tags-error" className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid="error-tags">{fieldErrors.tags.join(" ")}</p>
            ) : (
              <p id="f-tags-help" className="mt-1 text-xs text-slate-500">Separate tags with commas. On a merge they are added to the contact&apos;s.</p>
            )}
          </div>
          <div>
            <label htmlFor="f-notes" className="label">Notes</label>
            <textarea
              id="f-notes"
              name="notes"
              className={`input min-h-20 ${fieldErrors.notes ? "border-rose-500 bg-rose-50" : ""}`}
              placeholder="Met at booth B12, wants a demo"
              // The contact's notes limit; the server answers a longer value (an older page) on this field.
              maxLength={NOTES_MAX}
              value={notes}
              aria-invalid={fieldErrors.notes ? true : undefined}
              aria-describedby={fieldErrors.notes ? "f-notes-error" : undefined}
              onChange={(e) => {
                setNotes(e.target.value);
                if (fieldErrors.notes) setFieldErrors((fe) => ({ ...fe, notes: undefined }));
              }}
            />
            {fieldErrors.notes && <p id="f-notes-error" className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid="error-notes">{fieldErrors.notes.join(" ")}</p>}
          </div>
          {error && <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 wrap-anywhere" data-testid="review-error">{error}</p>}
          {conflict && (
            <ConflictPanel conflict={conflict} busy={busy} onMerge={(cid) => void saveAndConfirm({ mergeInto: cid })} onCreate={() => void saveAndConfirm({ force: true })} onCancel={() => setConflict(null)} />
          )}
          <p role="status" className={offline ? "rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" : "sr-only"} data-testid="review-offline">
            {offline ? "You are offline. This is sent when the connection is back: keep this page open. What you typed is kept on this page." : ""}
          </p>
          <div className="flex flex-wrap gap-2 pt-2">
            <button type="submit" className="btn-primary" disabled={busy}>{offline ? "Waiting for connection…" : confirm.isPending ? "Saving…" : "Confirm contact"}</button>
            <button type="button" className="btn-secondary" disabled={busy} onClick={() => void update.mutateAsync(payload()).then(() => { setError(null); setFieldErrors({}); setRowErrors({}); }, showError)}>Save draft</button>
            {/* Two steps: the first tap turns this button into "Keep draft" in the same place,
                so a double tap (or Enter pressed twice) keeps the draft; deleting takes the
                separate button below. */}
            <button type="button" className={`${askDiscard ? "btn-secondary" : "btn-danger"} ml-auto`} disabled={busy} aria-expanded={askDiscard} aria-controls={askDiscard ? "discard-confirm" : undefined} onClick={() => setAskDiscard((a) => !a)}>
              {askDiscard ? "Keep draft" : "Discard"}
            </button>
          </div>
          {askDiscard && (
            <div id="discard-confirm" role="alert" className="flex flex-wrap items-center gap-2 rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900">
              <p className="min-w-0 flex-1">Delete this draft and its card photo? This cannot be undone.</p>
              <button type="button" className="btn-danger" disabled={busy} onClick={() => void discardDraft()}>{discard.isPending ? "Discarding…" : "Yes, discard"}</button>
            </div>
          )}
        </form>
      </div>
    </div>
  );
}

interface FormState {
  values: Values;
  tags: string;
  notes: string;
  otherPhones: NonNullable<DraftEdits["otherPhones"]>;
}

/** Whether the form differs from what was last loaded or saved. */
function isDirty(base: FormState, now: FormState): boolean {
  return FIELDS.some((f) => now.values[f.key] !== base.values[f.key]) || now.tags !== base.tags || now.notes !== base.notes || !sameRows(now.otherPhones, base.otherPhones);
}

function sameRows(a: FormState["otherPhones"], b: FormState["otherPhones"]): boolean {
  return a.length === b.length && a.every((r, i) => r.type === b[i].type && r.number === b[i].number);
}

/** Rows as the rep typed them (kept in this tab), each with its own key. */
function typedRows(list: FormState["otherPhones"]): OtherPhoneRow[] {
  return toRows(list.map((r) => ({ type: r.type, e164: r.number }))).map((row, i) => ({ ...row, number: list[i].number }));
}

const isOtherPhonesPath = (path: string) => path === "otherPhones" || path.startsWith("otherPhones.");

/** A failed call's error without the other numbers' messages, for the fields' own reading (fields.ts). */
function withoutOtherPhones(e: unknown): unknown {
  const data = (e as { data?: { fieldErrors?: unknown; details?: { fieldErrors?: unknown } } } | null)?.data;
  if (!data) return e;
  const strip = (source: unknown) =>
    source && typeof source === "object" ? Object.fromEntries(Object.entries(source as Record<string, unknown>).filter(([k]) => !isOtherPhonesPath(k))) : source;
  return { data: { fieldErrors: strip(data.fieldErrors), details: { fieldErrors: strip(data.details?.fieldErrors) } } };
}

/**
 * Whether a number the card gave is in the form: its national digits (6 or more, so a house number does not count)
 * within some value's digits, as confirm counts a number a field holds (numbersNotInFields in server/drafts/card-notes.ts).
 */
function heldIn(e164: string, texts: string[]): boolean {
  const formatted = formatPhone(e164);
  // "+49 69 90009048": the first group is the country code.
  const national = (/^\+\d+ /.test(formatted) ? formatted.replace(/^\+\d+ /, "") : e164).replace(/\D/g, "");
  return national.length >= 6 && texts.some((t) => t.replace(/\D/g, "").includes(national));
}

/** The card's numbers no field holds, typed, at most 10: the rows confirm saves while the rep has not changed them (cardOtherPhones). */
function cardRowsFor(cardNumbers: { e164: string; type: string }[], values: Values): FormState["otherPhones"] {
  return cardNumbers
    .filter((p) => !heldIn(p.e164, Object.values(values)))
    .slice(0, MAX_OTHER_PHONES)
    .map((p) => ({ type: toOtherPhoneType(p.type), number: formatPhone(p.e164) }));
}
