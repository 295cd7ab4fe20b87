"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { formatPhone } from "@/server/contacts/contact-links";
import { FIELDS, type Key } from "./fields";

export interface Conflict {
  message: string;
  matches: { id: string; fullName: string; company: string | null; email: string | null; phone: string | null; reasons: string[] }[];
  /** The draft's fields as saved just before confirm (normalized: E.164 phone, bare host…):
   *  exactly what a merge would write. */
  card: Record<Key, string | null>;
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
            <MergePreview contactId={m.id} card={conflict.card} busy={busy} onMerge={() => onMerge(m.id)} />
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-primary py-1" disabled={busy} onClick={onCreate}>Create anyway</button>
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
 * contact's. The 409 answer carries only name, company, email and phone of a match, so the
 * whole contact is read with contacts.get. The button waits for that answer: merging blind is
 * what this panel exists to prevent. A contact the rep may not edit cannot be merged into
 * (the server would refuse), so the button says so instead.
 */
function MergePreview({ contactId, card, busy, onMerge }: { contactId: string; card: Conflict["card"]; busy: boolean; onMerge: () => void }) {
  const trpc = useTRPC();
  const contact = useQuery({ ...trpc.contacts.get.queryOptions({ id: contactId }), staleTime: 0, retry: false });
  if (contact.isPending) return <p className="text-xs text-slate-600">Loading what a merge would change…</p>;
  if (contact.isError) {
    return <p className="text-xs text-rose-700">Could not read this contact ({contact.error.message}), so it cannot be merged into.</p>;
  }
  const c = contact.data;
  const changes = FIELDS.filter((f) => card[f.key] && card[f.key] !== c[f.key]);
  return (
    <div className="space-y-2 rounded border border-amber-200 bg-white p-2">
      {changes.length ? (
        <>
          <p className="text-xs font-medium text-slate-700">Merging changes {changes.length === 1 ? "1 field" : `${changes.length} fields`} of this contact:</p>
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
          </dl>
          <p className="text-xs text-slate-600">Fields the card does not have keep their current value.</p>
        </>
      ) : (
        <p className="text-xs text-slate-700" data-testid="merge-changes">Merging changes none of this contact&apos;s fields: the card says nothing new.</p>
      )}
      {c.canEdit ? (
        <button type="button" className="btn-secondary py-1" disabled={busy} onClick={onMerge}>Merge into this contact</button>
      ) : (
        <p className="text-xs text-slate-700">This is another rep&apos;s contact: only they or an admin can merge into it. Create a new contact instead, or ask them.</p>
      )}
    </div>
  );
}
