"use client";
import Link from "next/link";

export interface Conflict {
  message: string;
  matches: { id: string; fullName: string; company: string | null; email: string | null; phone: string | null; reasons: string[] }[];
}

const REASON: Record<string, string> = { email: "same email", phone: "same phone", name_company: "same name and company" };

/** Shown when confirm answers 409: merge into the existing contact, or create anyway. */
export function ConflictPanel({ conflict, busy, onMerge, onCreate, onCancel }: { conflict: Conflict; busy: boolean; onMerge: (id: string) => void; onCreate: () => void; onCancel: () => void }) {
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" role="alertdialog" aria-label="Possible duplicate" data-testid="conflict-panel">
      <p className="font-medium text-amber-900">{conflict.message}</p>
      <ul className="space-y-2">
        {conflict.matches.map((m) => (
          <li key={m.id} className="flex flex-wrap items-center gap-2">
            <Link href={`/contacts/${m.id}`} className="font-medium text-indigo-700 hover:underline" target="_blank">{m.fullName}</Link>
            <span className="text-slate-600">{[m.company, m.email, m.phone].filter(Boolean).join(" · ")}</span>
            <span className="text-xs text-amber-800">({m.reasons.map((r) => REASON[r] ?? r).join(", ")})</span>
            <button type="button" className="btn-secondary ml-auto py-1" disabled={busy} onClick={() => onMerge(m.id)}>Merge into this contact</button>
          </li>
        ))}
      </ul>
      <div className="flex gap-2">
        <button type="button" className="btn-primary py-1" disabled={busy} onClick={onCreate}>Create anyway</button>
        <button type="button" className="btn-secondary py-1" onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
