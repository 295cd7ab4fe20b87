"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { useEarlyInput } from "@/app/_lib/use-early-input";

/** Paste an email signature: the same parser turns it into a draft, with the batch's tags. */
export function PasteText({ tags, onTagsError }: { tags: string; onTagsError: (message: string | null) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState("");
  const box = useEarlyInput<HTMLTextAreaElement>(setText);
  const [error, setError] = useState<string | null>(null);
  const fromText = useMutation(
    trpc.drafts.fromText.mutationOptions({
      onSuccess: ({ draftId }) => router.push(`/drafts/${draftId}`),
      onError: (e) => {
        // Bad batch tags are marked on the tags box, where the rep fixes them.
        const tagsError = (e.data as { details?: { fieldErrors?: { tags?: string[] } } } | undefined)?.details?.fieldErrors?.tags?.[0];
        if (tagsError) onTagsError(`${tagsError}. No draft was made; fix the tags and try again.`);
        else setError(e.message);
      },
    }),
  );
  return (
    <section className="card space-y-3">
      <h2 className="font-medium">Or paste a signature</h2>
      <textarea
        ref={box}
        className="input min-h-32 font-mono"
        placeholder={"Jane Cooper\nHead of Partnerships, Northwind Ltd\n+44 20 7946 0123 · jane@northwind.example"}
        value={text}
        maxLength={20_000}
        onChange={(e) => setText(e.target.value)}
        aria-label="Pasted text"
      />
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
      <button type="button" className="btn-primary" disabled={!text.trim() || fromText.isPending} onClick={() => { setError(null); fromText.mutate({ text, tags: tags.trim() ? [tags] : undefined }); }}>
        {fromText.isPending ? "Reading…" : "Create draft"}
      </button>
    </section>
  );
}
