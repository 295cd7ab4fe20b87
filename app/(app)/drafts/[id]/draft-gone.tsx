"use client";
// A draft that is no longer there (it expired, or was confirmed or discarded on another device) while the rep still
// has what they typed on it: the contact is made from that instead of the work being lost with the draft. The card
// photo went with the draft; the fields, tags and note are what the rep had checked and typed.
// Shown only for a draft the server says is not there (NOT_FOUND, draft-review.tsx): a draft that could not be read
// for another reason (a 5xx, a 429, no connection) may still exist, and making the contact then would make a second one.
// Before creating, the team's contacts with the same email, phone or name are looked up (contacts.duplicatesOf): a
// draft confirmed on another device already made its contact, so that one is offered first, "Create anyway" second.
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { errorText } from "@/app/_lib/error-text";
import { TAG_SEPARATORS } from "@/server/contacts/tags";
import { clearDraftEdits, type DraftEdits } from "./draft-backup";

interface Existing { id: string; fullName: string; company: string | null; email: string | null }

/** The tag line as the tag box reads it: one tag between separators, trimmed, empty ones dropped. */
function tagsOfLine(line: string): string[] {
  return line.split(TAG_SEPARATORS).map((t) => t.trim()).filter(Boolean);
}

export function DraftGone({ id, edits }: { id: string; edits: DraftEdits | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  // The contacts that look like this one, once looked up: null before (or after a lookup that failed).
  const [existing, setExisting] = useState<Existing[] | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const create = useMutation(
    trpc.contacts.create.mutationOptions({
      onSuccess: (c) => {
        clearDraftEdits(id);
        router.push(`/contacts/${c.id}`);
      },
    }),
  );
  const blank = (v: string) => (v.trim() ? v : null);
  const v = edits?.values;

  function createNow() {
    if (!v || !edits) return;
    create.mutate({
      fullName: v.fullName, title: blank(v.title), company: blank(v.company), email: blank(v.email), phone: blank(v.phone),
      website: blank(v.website), address: blank(v.address), notes: blank(edits.notes), tags: tagsOfLine(edits.tags), source: edits.source,
      // The other-number rows as the rep left them; empty rows are dropped (contacts.create would refuse them).
      otherPhones: (edits.otherPhones ?? []).filter((r) => r.number.trim()),
    });
  }

  async function checkThenCreate() {
    if (!v) return;
    setChecking(true);
    setCheckError(null);
    create.reset();
    try {
      const input = { email: blank(v.email)?.slice(0, 300) ?? null, phone: blank(v.phone)?.slice(0, 100) ?? null, fullName: blank(v.fullName)?.slice(0, 500) ?? null, company: blank(v.company)?.slice(0, 500) ?? null };
      const found = await queryClient.fetchQuery({ ...trpc.contacts.duplicatesOf.queryOptions(input), staleTime: 0 });
      if (found.length) setExisting(found.map((c) => ({ id: c.id, fullName: c.fullName, company: c.company, email: c.email })));
      else createNow();
    } catch (e) {
      setCheckError(errorText(e));
    } finally {
      setChecking(false);
    }
  }

  const busy = checking || create.isPending;
  return (
    <div className="card mx-auto max-w-md space-y-3" data-testid="draft-gone">
      <h1 className="text-lg font-semibold">This draft is no longer here</h1>
      <p className="text-sm text-slate-600">
        It expired (a draft waits 24 hours after its card was read or last saved), or it was confirmed or discarded on
        another device.
      </p>
      {v && (
        <>
          <p className="text-sm text-slate-700">
            What you typed on it is kept: <span className="font-medium wrap-anywhere">{v.fullName || v.email || v.company || "(no name)"}</span>
            {edits.notes && <> with your note</>}. Make the contact from it; the card photo went with the draft.
          </p>
          {existing?.length ? (
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
              {edits.notes && (
                <div>
                  <p className="text-xs text-amber-800">Your note, to copy into it:</p>
                  <p className="whitespace-pre-wrap wrap-anywhere rounded bg-white px-2 py-1 text-slate-800" data-testid="draft-gone-note">{edits.notes}</p>
                </div>
              )}
              <button type="button" className="btn-secondary" disabled={busy} onClick={createNow}>
                {create.isPending ? "Creating…" : "Create anyway"}
              </button>
            </div>
          ) : (
            <button type="button" className="btn-primary" disabled={busy} onClick={() => void checkThenCreate()}>
              {checking ? "Checking for this contact…" : create.isPending ? "Creating…" : "Create the contact from what you typed"}
            </button>
          )}
          {checkError && <p role="alert" className="text-sm text-rose-700 wrap-anywhere" data-testid="draft-gone-error">{checkError}</p>}
          {create.isError && <p role="alert" className="text-sm text-rose-700 wrap-anywhere" data-testid="draft-gone-error">{errorText(create.error)}</p>}
        </>
      )}
      <Link href="/drafts" className="btn-secondary">Back to drafts</Link>
    </div>
  );
}
