"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ScrollX } from "@/app/_components/scroll-x";
import { fieldErrorsOf } from "../other-phones-field";

const REASONS: Record<string, string> = { email: "same email", phone: "same phone", name_company: "similar name + company" };
const MERGE_FIELDS = [
  ["fullName", "Name"], ["title", "Title"], ["company", "Company"], ["email", "Email"], ["phone", "Phone"],
  ["website", "Website"], ["linkedinUrl", "LinkedIn"], ["address", "Address"], ["notes", "Notes"], ["source", "Source"], ["ownerId", "Owner"],
] as const;
type MergeField = (typeof MERGE_FIELDS)[number][0];

export function Duplicates() {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  const pairs = useQuery(trpc.contacts.duplicates.queryOptions({ limit: 100, search: applied || undefined }));
  const [open, setOpen] = useState<string | null>(null);

  return (
    <div className="space-y-4">
      <form className="flex gap-2" onSubmit={(e) => { e.preventDefault(); setApplied(search.trim()); }}>
        <input className="input" type="search" aria-label="Narrow duplicates" placeholder="Narrow to a name or company (optional)" value={search} onChange={(e) => setSearch(e.target.value)} />
        <button className="btn-secondary">Find</button>
      </form>
      {pairs.isLoading && <p className="text-sm text-slate-500">Looking for duplicates…</p>}
      {pairs.isError && <p role="alert" className="text-sm text-rose-700">{pairs.error.message}</p>}
      {pairs.data?.length === 0 && <p className="card text-sm text-slate-600" data-testid="no-duplicates">No likely duplicates.</p>}
      <ul className="space-y-3">
        {pairs.data?.map((p) => {
          const key = `${p.a.id}:${p.b.id}`;
          return (
            <li key={key} className="card space-y-3" data-testid="duplicate-pair">
              <div className="flex flex-wrap items-center gap-2">
                {p.reasons.map((r) => <span key={r} className="badge bg-amber-100 text-amber-800">{REASONS[r] ?? r}</span>)}
                {p.score < 1 && <span className="text-xs text-slate-500">similarity {p.score}</span>}
              </div>
              <div className="grid gap-3 sm:grid-cols-2">
                {[p.a, p.b].map((c) => (
                  <div key={c.id} className="rounded-lg border border-slate-200 p-3 text-sm">
                    <a href={`/contacts/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.fullName}</a>
                    <p className="text-slate-600">{[c.company, c.email, c.phone].filter(Boolean).join(" · ") || "—"}</p>
                    <p className="text-xs text-slate-500">Owner {c.ownerName} · added {new Date(c.createdAt).toLocaleDateString()}</p>
                  </div>
                ))}
              </div>
              {open === key ? (
                <MergePanel keepId={p.a.id} removeId={p.b.id} onClose={() => setOpen(null)} />
              ) : (
                <button className="btn-secondary" onClick={() => setOpen(key)}>Merge…</button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function MergePanel({ keepId, removeId, onClose }: { keepId: string; removeId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const a = useQuery(trpc.contacts.get.queryOptions({ id: keepId }));
  const b = useQuery(trpc.contacts.get.queryOptions({ id: removeId }));
  const [keepSide, setKeepSide] = useState<"a" | "b">("a");
  const [choice, setChoice] = useState<Partial<Record<MergeField, "a" | "b">>>({});
  const [error, setError] = useState<string | null>(null);
  // A merge refused for its tags (more than a contact may have, together): said again on the Tags row.
  const [tagsError, setTagsError] = useState<string | null>(null);
  const merge = useMutation(
    trpc.contacts.merge.mutationOptions({
      onSuccess: () => {
        qc.invalidateQueries({ queryKey: trpc.contacts.duplicates.pathKey() });
        qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
        onClose();
      },
      onError: (e) => {
        setError(e.message);
        setTagsError(fieldErrorsOf(e).tags?.join(" ") || null);
      },
    }),
  );
  if (!a.data || !b.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const sides = { a: a.data, b: b.data };
  const show = (side: "a" | "b", f: MergeField) => {
    const c = sides[side];
    if (f === "ownerId") return c.owner.name;
    const v = c[f];
    return v === null || v === "" ? "—" : String(v);
  };
  const pick = (f: MergeField): "a" | "b" => {
    if (choice[f]) return choice[f]!;
    // Default: the kept contact's value, or the other's when the kept one is empty.
    const other = keepSide === "a" ? "b" : "a";
    const kept = sides[keepSide][f as keyof typeof a.data];
    return kept === null || kept === "" ? other : keepSide;
  };
  const canEdit = a.data.canEdit && b.data.canEdit;

  return (
    <form
      className="space-y-3"
      aria-label="Merge contacts"
      onSubmit={(e) => {
        e.preventDefault();
        const keep = keepSide === "a" ? a.data! : b.data!;
        const remove = keepSide === "a" ? b.data! : a.data!;
        const fields: Partial<Record<MergeField, "keep" | "remove">> = {};
        for (const [f] of MERGE_FIELDS) fields[f] = pick(f) === keepSide ? "keep" : "remove";
        merge.mutate({ keepId: keep.id, removeId: remove.id, fields });
      }}
    >
      {!canEdit && <p role="alert" className="text-sm text-rose-700">You can merge only contacts you own; ask an admin.</p>}
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="label">Keep which contact (the other is deleted)</legend>
        {(["a", "b"] as const).map((s) => (
          <label key={s} className="flex items-center gap-2">
            <input type="radio" name="keep" checked={keepSide === s} onChange={() => { setKeepSide(s); setChoice({}); }} />
            {sides[s].fullName}
          </label>
        ))}
      </fieldset>
      <ScrollX label="Values to keep">
        <table className="min-w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr><th className="py-1 pr-3">Field</th><th className="py-1 pr-3">{a.data.fullName}</th><th className="py-1">{b.data.fullName}</th></tr>
          </thead>
          <tbody>
            {MERGE_FIELDS.map(([f, label]) => (
              <tr key={f} className="border-t border-slate-100">
                <td className="py-1 pr-3 text-slate-500">{label}</td>
                {(["a", "b"] as const).map((s) => (
                  <td key={s} className="py-1 pr-3">
                    <label className="flex items-start gap-2">
                      <input type="radio" name={`f-${f}`} aria-label={`${label}: ${show(s, f)}`} checked={pick(f) === s} onChange={() => setChoice((c) => ({ ...c, [f]: s }))} />
                      <span className="break-all">{show(s, f)}</span>
                    </label>
                  </td>
                ))}
              </tr>
            ))}
            <tr className="border-t border-slate-100">
              <td className="py-1 pr-3 text-slate-500">Tags</td>
              <td colSpan={2} className="py-1">
                {[...new Set([...a.data.tags, ...b.data.tags])].join(", ") || "—"} <span className="text-xs text-slate-500">(all kept)</span>
                {tagsError && <span className="block text-sm text-rose-700" data-testid="merge-tags-error">{tagsError}</span>}
              </td>
            </tr>
          </tbody>
        </table>
      </ScrollX>
      <p className="text-xs text-slate-600">Nothing is lost: the values you do not keep, and the other contact&apos;s notes, are added to the kept contact&apos;s notes; its other numbers become other numbers.</p>
      <div className="flex gap-2">
        <button className="btn-primary" disabled={merge.isPending || !canEdit}>Merge</button>
        <button type="button" className="btn-secondary" onClick={onClose}>Cancel</button>
      </div>
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </form>
  );
}
