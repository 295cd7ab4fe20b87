"use client";
// The audit log table: filters (area, free text) and "Load more" over keyset pages.
// Details are shown as "key: value" lines, never as HTML: labels and inputs came from users.
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ScrollX } from "@/app/_components/scroll-x";

const AREAS: { value: string; label: string }[] = [
  { value: "", label: "Everything" },
  { value: "users", label: "Users" },
  { value: "contacts", label: "Contacts" },
  { value: "campaigns", label: "Campaigns" },
  { value: "integrations", label: "Integrations" },
  { value: "queues", label: "Queues" },
  { value: "system", label: "System" },
];

function detailLines(details: unknown): string[] {
  const input = (details as { input?: unknown } | null)?.input;
  const result = (details as { result?: unknown } | null)?.result;
  const lines: string[] = [];
  const add = (prefix: string, v: unknown) => {
    if (!v || typeof v !== "object") return;
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (k === "id" || val === null || val === undefined) continue;
      lines.push(`${prefix}${k}: ${typeof val === "string" ? val : JSON.stringify(val)}`);
    }
  };
  add("", input);
  add("→ ", result);
  return lines;
}

export function AuditLog() {
  const trpc = useTRPC();
  const [action, setAction] = useState("");
  const [search, setSearch] = useState("");
  const filters = { action: action || undefined, search: search.trim() || undefined, limit: 50 };
  const log = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions(filters, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-3">
      <form className="flex flex-wrap gap-2" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="text-sm">
          <span className="sr-only">Area</span>
          <select className="input" value={action} onChange={(e) => setAction(e.target.value)} aria-label="Area">
            {AREAS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        </label>
        <label className="min-w-0 flex-1 text-sm">
          <span className="sr-only">Search by person or target</span>
          <input className="input w-full" type="search" maxLength={200} placeholder="Search by who or what (email, contact, campaign)" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </form>
      {log.isError && <p role="alert" className="text-sm text-rose-700">{log.error.message}</p>}
      <ScrollX label="Audit log" className="card p-0 sm:p-0">
        <table className="min-w-full text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-left text-slate-500">
            <tr><th className="px-4 py-2">When</th><th className="px-4 py-2">Who</th><th className="px-4 py-2">Action</th><th className="px-4 py-2">On</th><th className="px-4 py-2">Details</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
                <td className="whitespace-nowrap px-4 py-2 tabular-nums"><time dateTime={r.at.toISOString()}>{r.at.toLocaleString()}</time></td>
                <td className="px-4 py-2 break-all">{r.actorEmail ?? r.actorId ?? "—"}</td>
                <td className="px-4 py-2 font-mono text-xs">{r.action}</td>
                <td className="px-4 py-2 break-words"><TargetLabel text={r.targetLabel ?? r.targetId ?? "—"} /></td>
                <td className="px-4 py-2">
                  <ul className="space-y-0.5 text-xs text-slate-600">
                    {detailLines(r.details).map((l, i) => <li key={i} className="break-all">{l}</li>)}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      {!log.isPending && rows.length === 0 && <p className="text-sm text-slate-500">Nothing recorded yet{action || search ? " for this filter" : ""}.</p>}
      {log.hasNextPage && (
        <button type="button" className="btn-secondary" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}

/** A long target (a bulk delete names every contact) folds after its start; the rest opens on demand. */
function TargetLabel({ text }: { text: string }) {
  if (text.length <= 160) return <>{text}</>;
  return (
    <details>
      <summary className="cursor-pointer">{text.slice(0, 160)}…</summary>
      <span className="text-slate-700">{text.slice(160)}</span>
    </details>
  );
}
