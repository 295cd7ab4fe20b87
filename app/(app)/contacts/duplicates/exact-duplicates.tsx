"use client";
// Admins: merge every group of exact duplicates at once (contacts.exactDuplicates / contacts.mergeExactDuplicates,
// docs/contacts.md "Merge exact duplicates"). The pairs that are not exact stay in the list below, one by one.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

const n = (x: number) => x.toLocaleString("en-US");
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

interface MergeResult {
  mergedGroups: number;
  mergedContacts: number;
  removedContacts: number;
  skippedGroups: number;
  skipped: { email: string; names: string[]; reason: string }[];
  remainingGroups: number;
}

/** "Merged 120 groups (250 contacts); 3 skipped: …; 500 groups remain: merge again." */
function resultText(r: MergeResult): string {
  const parts = [r.mergedGroups ? `Merged ${plural(r.mergedGroups, "group")} (${plural(r.mergedContacts, "contact")} into ${n(r.mergedGroups)})` : "Nothing merged"];
  if (r.skippedGroups) {
    const listed = r.skipped.map((s) => `${s.email}${s.names.length ? ` (${[...new Set(s.names)].join(", ")})` : ""}: ${s.reason}`);
    const more = r.skippedGroups - r.skipped.length;
    parts.push(`${n(r.skippedGroups)} skipped: ${listed.join("; ")}${more > 0 ? `; and ${n(more)} more` : ""}`);
  }
  if (r.remainingGroups) parts.push(`${plural(r.remainingGroups, "group")} remain${r.remainingGroups === 1 ? "s" : ""}: merge again to continue`);
  return `${parts.join("; ")}.`;
}

export function ExactDuplicates() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const preview = useQuery(trpc.contacts.exactDuplicates.queryOptions());
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<MergeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const merge = useMutation(
    trpc.contacts.mergeExactDuplicates.mutationOptions({
      onSuccess: (r) => {
        setResult(r);
        setConfirming(false);
        qc.invalidateQueries({ queryKey: trpc.contacts.exactDuplicates.pathKey() });
        qc.invalidateQueries({ queryKey: trpc.contacts.duplicates.pathKey() });
        qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );
  const p = preview.data;
  const thisRun = p ? Math.min(p.groups, p.perCall) : 0;

  return (
    <section className="card space-y-3" aria-labelledby="exact-duplicates-title" data-testid="exact-duplicates">
      <div>
        <h2 id="exact-duplicates-title" className="font-semibold">Exact duplicates</h2>
        <p className="text-sm text-slate-600">
          Contacts with the same email whose other fields (name, company, phone, title, website, LinkedIn, address) are equal or blank on all
          but one of them. Pairs that differ in a filled field stay in the list below, to merge one by one.
        </p>
      </div>
      {preview.isLoading && <p className="text-sm text-slate-500">Counting exact duplicates…</p>}
      {preview.isError && <p role="alert" className="text-sm text-rose-700">{preview.error.message}</p>}
      {p && (
        <p className="text-sm text-slate-700" data-testid="exact-duplicates-count">
          {p.groups ? `${plural(p.groups, "group")} of exact duplicates (${plural(p.contacts, "contact")}).` : "No exact duplicates to merge."}
          {p.tooManyTags > 0 && ` ${plural(p.tooManyTags, "group")} would have more than 30 tags together and will be skipped.`}
        </p>
      )}
      {p && p.groups > 0 && !confirming && (
        <button type="button" className="btn-primary" onClick={() => { setConfirming(true); setError(null); }}>
          Merge {plural(p.groups, "exact duplicate")}
        </button>
      )}
      {p && confirming && (
        <div role="group" aria-label="Confirm merging exact duplicates" className="space-y-3 break-words rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">
          <p data-testid="exact-duplicates-confirm">
            Merge {plural(thisRun, "group")} of exact duplicates? In each group the <strong>oldest contact is kept</strong> and its blank fields are
            filled from the others; their tags, other numbers, notes, card photos and campaign history move onto it, and the other{" "}
            {thisRun === p.groups ? plural(p.removes, "contact") : `contacts (at least ${n(thisRun)})`} are <strong>deleted</strong>. This cannot be
            undone; each group is written to the audit log.
            {p.groups > thisRun && ` One run merges at most ${n(p.perCall)} groups: ${plural(p.groups - thisRun, "group")} will remain for the next run.`}
          </p>
          {p.sample.length > 0 && (
            <ul className="list-disc space-y-1 pl-5 text-slate-700">
              {p.sample.map((g) => (
                <li key={g.email}>
                  <span className="font-medium">{g.members[0]?.fullName}</span> &lt;{g.email}&gt; keeps{" "}
                  {g.members[0] ? `the contact added ${new Date(g.members[0].createdAt).toLocaleDateString()} (owner ${g.members[0].ownerName})` : "the oldest"}
                  , merging {plural(g.members.length - 1, "other")}
                </li>
              ))}
              {p.groups > p.sample.length && <li className="list-none text-slate-500">… and {plural(p.groups - p.sample.length, "more group")}</li>}
            </ul>
          )}
          <div className="flex gap-2">
            <button type="button" className="btn-danger" disabled={merge.isPending} onClick={() => merge.mutate({})}>
              {merge.isPending ? "Merging…" : `Merge ${plural(thisRun, "group")}`}
            </button>
            <button type="button" className="btn-secondary" disabled={merge.isPending} onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      )}
      {result && <p role="status" className="break-words text-sm text-emerald-700" data-testid="exact-duplicates-result">{resultText(result)}</p>}
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </section>
  );
}
