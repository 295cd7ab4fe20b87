"use client";
// A draft that is no longer there (it expired, or was confirmed or discarded on another device) while the rep still
// has what they typed on it: the contact is made from that instead of the work being lost with the draft. The card
// photo went with the draft; the fields, tags and note are what the rep had checked and typed.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { clearDraftEdits, type DraftEdits } from "./draft-backup";

export function DraftGone({ id, edits }: { id: string; edits: DraftEdits | null }) {
  const trpc = useTRPC();
  const router = useRouter();
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
          <button
            type="button"
            className="btn-primary"
            disabled={create.isPending}
            onClick={() =>
              create.mutate({
                fullName: v.fullName, title: blank(v.title), company: blank(v.company), email: blank(v.email), phone: blank(v.phone),
                website: blank(v.website), address: blank(v.address), notes: blank(edits.notes), tags: edits.tags.trim() ? [edits.tags] : [], source: edits.source,
                // The other-number rows as the rep left them; empty rows are dropped (contacts.create would refuse them).
                otherPhones: (edits.otherPhones ?? []).filter((r) => r.number.trim()),
              })
            }
          >
            {create.isPending ? "Creating…" : "Create the contact from what you typed"}
          </button>
          {create.isError && <p role="alert" className="text-sm text-rose-700 wrap-anywhere">{create.error.message}</p>}
        </>
      )}
      <Link href="/drafts" className="btn-secondary">Back to drafts</Link>
    </div>
  );
}
