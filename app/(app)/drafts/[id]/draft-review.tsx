"use client";
import { useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { PhotoWithBoxes } from "./photo-with-boxes";
import { ExpiresIn } from "../expires-in";
import { ConflictPanel, type Conflict } from "./conflict-panel";
import { formatPhone } from "@/server/contacts/contact-links";

const FIELDS = [
  { key: "fullName", label: "Name", type: "text" },
  { key: "title", label: "Title", type: "text" },
  { key: "company", label: "Company", type: "text" },
  { key: "email", label: "Email", type: "email" },
  { key: "phone", label: "Phone", type: "tel" },
  { key: "website", label: "Website", type: "text" },
  { key: "address", label: "Address", type: "text" },
] as const;
type Key = (typeof FIELDS)[number]["key"];
type Values = Record<Key, string>;

// Below this the field is highlighted for a second look.
const LOW_FIELD_CONFIDENCE = 0.75;

export function DraftReview({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const draft = useQuery({ ...trpc.drafts.get.queryOptions({ id }), retry: false, staleTime: Infinity });
  const [values, setValues] = useState<Values | null>(null);
  const [focused, setFocused] = useState<Key | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);

  useEffect(() => {
    if (draft.data && !values) {
      const v = {} as Values;
      for (const f of FIELDS) v[f.key] = draft.data.fields[f.key] ?? "";
      setValues(v);
    }
  }, [draft.data, values]);

  const update = useMutation(trpc.drafts.update.mutationOptions());
  const confirm = useMutation(trpc.drafts.confirm.mutationOptions());
  const discard = useMutation(trpc.drafts.discard.mutationOptions({ onSuccess: () => router.push("/drafts") }));

  const highlight = useMemo(() => new Set(focused ? draft.data?.sourceWords[focused] ?? [] : []), [focused, draft.data]);

  if (draft.isError) {
    return (
      <div className="card mx-auto max-w-md text-center">
        <h1 className="text-lg font-semibold">Draft not found</h1>
        <p className="mt-2 text-sm text-slate-600">It may have been confirmed, discarded or expired.</p>
        <Link href="/drafts" className="btn-secondary mt-4">Back to drafts</Link>
      </div>
    );
  }
  if (!draft.data || !values) return <p className="text-sm text-slate-500">Loading…</p>;
  const d = draft.data;

  async function saveAndConfirm(opts: { mergeInto?: string; force?: boolean } = {}) {
    setError(null);
    setFieldErrors({});
    try {
      await update.mutateAsync({ id, fields: values! });
      const { contactId } = await confirm.mutateAsync({ id, ...opts });
      router.push(`/contacts/${contactId}`);
    } catch (e) {
      const err = e as { message: string; data?: { appCode?: string; details?: Record<string, unknown> } };
      if (err.data?.appCode === "CONFLICT" && err.data.details?.existingContactId) {
        setConflict({ message: err.message, matches: (err.data.details.matches ?? []) as Conflict["matches"] });
      } else {
        setFieldErrors((err.data?.details?.fieldErrors as Record<string, string[]>) ?? {});
        setError(err.message);
      }
    }
  }

  const busy = update.isPending || confirm.isPending || discard.isPending;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Review draft</h1>
        <ExpiresIn at={d.expiresAt} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <div>
          {d.image ? (
            <PhotoWithBoxes url={d.image.url} originalUrl={d.image.originalUrl} width={d.image.width} height={d.image.height} words={d.words} highlight={highlight} />
          ) : (
            <pre className="card max-h-96 overflow-auto whitespace-pre-wrap text-sm" data-testid="raw-text">{d.rawInput}</pre>
          )}
        </div>
        <form className="card space-y-3" onSubmit={(e) => { e.preventDefault(); void saveAndConfirm(); }}>
          {FIELDS.map((f) => {
            const conf = d.confidence[f.key];
            const low = conf !== null && conf < LOW_FIELD_CONFIDENCE && !d.edited.includes(f.key);
            return (
              <div key={f.key}>
                <label htmlFor={`f-${f.key}`} className="label flex items-center justify-between">
                  <span>{f.label}</span>
                  {low && <span className="badge bg-amber-100 text-amber-800" data-testid={`low-${f.key}`}>check this · {Math.round((conf ?? 0) * 100)}%</span>}
                </label>
                <input
                  id={`f-${f.key}`}
                  name={f.key}
                  type={f.type}
                  className={`input ${low ? "border-amber-400 bg-amber-50" : ""}`}
                  value={values[f.key]}
                  onFocus={() => setFocused(f.key)}
                  onBlur={() => setFocused(null)}
                  onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                />
                {fieldErrors[f.key]?.map((m) => <p key={m} className="mt-1 text-xs text-rose-700">{m}</p>)}
              </div>
            );
          })}
          {d.phones.length > 1 && (
            <p className="text-xs text-slate-500">Other numbers on the card: {d.phones.map((p) => `${formatPhone(p.e164)} (${p.type})`).join(", ")}</p>
          )}
          {error && <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700">{error}</p>}
          {conflict && (
            <ConflictPanel conflict={conflict} busy={busy} onMerge={(cid) => void saveAndConfirm({ mergeInto: cid })} onCreate={() => void saveAndConfirm({ force: true })} onCancel={() => setConflict(null)} />
          )}
          <div className="flex flex-wrap gap-2 pt-2">
            <button type="submit" className="btn-primary" disabled={busy}>{confirm.isPending ? "Saving…" : "Confirm contact"}</button>
            <button type="button" className="btn-secondary" disabled={busy} onClick={() => void update.mutateAsync({ id, fields: values }).then(() => setError(null), (e: Error) => setError(e.message))}>Save draft</button>
            <button type="button" className="btn-danger ml-auto" disabled={busy} onClick={() => discard.mutate({ id })}>Discard</button>
          </div>
        </form>
      </div>
    </div>
  );
}
