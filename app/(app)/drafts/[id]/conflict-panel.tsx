"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { formatPhone } from "@/server/contacts/contact-links";
import { mergeTags } from "@/server/contacts/tags";
import { FIELDS, type Key } from "./fields";

export interface Conflict {
  message: string;
  matches: { id: string; fullName: string; company: string | null; email: string | null; phone: string | null; reasons: string[] }[];
  /** The draft's fields as saved just before confirm (normalized: E.164 phone, bare host…):
   *  exactly what a merge would write. */
  card: Record<Key, string | null>;
  /** The draft's tags as saved just before confirm: a merge adds them to the contact's. */
  tags: string[];
}

const REASON: Record<string, string> = { email: "same email", phone: "same phone", name_company: "same name and company" };

/** Shown when confirm answers 409: merge into the existing contact, or create anyway. */
export function ConflictPanel({ conflict, busy, onMerge, onCreate, onCancel }: { conflict: Conflict; busy: boolean; onMerge: (id: string) => void; onCreate: () => void; onCancel: () => void }) {
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm wrap-anywhere" role="alertdialog" aria-label="Possible duplicate" data-testid="conflict-panel">
      <p className="font-medium text-amber-900">{conflict.message}</p>
      <ul className="space-y-3">
        {conflict.matches.map((m) => (
          <li key={m.id} className="space-y-2" data-testid="conflict-match">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Link href={`/contacts/${m.id}`} className="font-medium text-indigo-700 hover:underline" target="_blank">{m.fullName}</Link>
              <span className="text-slate-600">{[m.company, m.email, m.phone && formatPhone(m.phone)].filter(Boolean).join(" · ")}</span>
              <span className="text-xs text-amber-800">({m.reasons.map((r) => REASON[r] ?? r).join(", ")})</span>
            </div>
            <MergePreview contactId={m.id} card={conflict.card} tags={conflict.tags} busy={busy} onMerge={() => onMerge(m.id)} />
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-secondary py-1" disabled={busy} onClick={onCreate}>Create anyway</button>
        <button type="button" className="btn-secondary py-1" onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}

const show = (k: Key, v: string | null) => (v ? (k === "phone" ? formatPhone(v) : v) : "");

/**
 * What "Merge into this contact" would change, field by field, before the rep chooses it.
 * The merge writes every non-empty field of the card over the contact's (server/drafts/
 * confirm-draft.ts), so a changed field is one where the card has a value different from the
 * contact's. The draft's tags are added to the contact's (never replace them), so the tags it does not have yet
 * are listed too, computed by the merge's own mergeTags. The 409 answer carries only name, company, email and phone of a match, so the
 * whole contact is read with contacts.get. The button waits for that answer: merging blind is
 * what this panel exists to prevent. A contact the rep may not edit cannot be merged into
 * (the server would refuse), so the button says so instead.
 */
function MergePreview({ contactId, card, tags, busy, onMerge }: { contactId: string; card: Conflict["card"]; tags: string[]; busy: boolean; onMerge: () => void }) {
  const trpc = useTRPC();
  const contact = useQuery({ ...trpc.contacts.get.queryOptions({ id: contactId }), staleTime: 0, retry: false });
  if (contact.isPending) return <p className="text-xs text-slate-600">Loading what a merge would change…</p>;
  if (contact.isError) {
    return <p className="text-xs text-rose-700">Could not read this contact ({contact.error.message}), so it cannot be merged into.</p>;
  }
  const c = contact.data;
  const changes = FIELDS.filter((f) => card[f.key] && card[f.key] !== c[f.key]);
  const { added } = mergeTags(c.tags, tags);
  return (
    <div className="space-y-2 rounded border border-amber-200 bg-white p-2">
      {changes.length || added.length ? (
        <>
          <p className="text-xs font-medium text-slate-700">{mergeSummary(changes.length, added.length)}</p>
          <dl className="space-y-1 text-xs" data-testid="merge-changes">
            {changes.map((f) => (
              <div key={f.key} className="grid grid-cols-[6rem_minmax(0,1fr)] gap-2" data-testid={`merge-change-${f.key}`}>
                <dt className="font-medium text-slate-700">{f.label}</dt>
                <dd className="text-slate-800">
                  {c[f.key] ? <del className="text-slate-600">{show(f.key, c[f.key])}</del> : <span className="text-slate-600">(empty)</span>}
                  {" → "}
                  <ins className="font-medium no-underline">{show(f.key, card[f.key])}</ins>
                </dd>
              </div>
            ))}
            {added.length > 0 && (
              <div className="grid grid-cols-[6rem_minmax(0,1fr)] gap-2" data-testid="merge-change-tags">
                <dt className="font-medium text-slate-700">Tags</dt>
                <dd className="text-slate-800">
                  {c.tags.length ? <span className="text-slate-600">{c.tags.join(", ")}</span> : <span className="text-slate-600">(none)</span>}
                  {" + "}
                  <ins className="font-medium no-underline">{added.join(", ")}</ins>
                </dd>
              </div>
            )}
          </dl>
          <p className="text-xs text-slate-600">Fields the card does not have keep their current value.</p>
        </>
      ) : (
        <p className="text-xs text-slate-700" data-testid="merge-changes">Merging changes none of this contact&apos;s fields or tags: the card says nothing new.</p>
      )}
      {c.canEdit ? (
        // The safe choice is the prominent one: a hurried tap on the filled button must not create a duplicate.
        <button type="button" className="btn-primary py-1" disabled={busy} onClick={onMerge}>Merge into this contact</button>
      ) : (
        <p className="text-xs text-slate-700">This is another rep&apos;s contact: only they or an admin can merge into it. Create a new contact instead, or ask them.</p>
      )}
    </div>
  );
}

/** "Merging changes 2 fields of this contact and adds 1 tag:", or only one of the two halves. */
function mergeSummary(fields: number, tags: number): string {
  const n = (k: number, one: string) => (k === 1 ? `1 ${one}` : `${k} ${one}s`);
  if (!tags) return `Merging changes ${n(fields, "field")} of this contact:`;
  if (!fields) return `Merging adds ${n(tags, "tag")} to this contact:`;
  return `Merging changes ${n(fields, "field")} of this contact and adds ${n(tags, "tag")}:`;
}
