"use client";
// "Undo this import" on a finished import's report (server/imports/undo-import.ts): two steps, since it deletes
// contacts; the answer says what was deleted and what was left as it was, and why.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

export function UndoImport({ id, created }: { id: string; created: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const undo = useMutation(
    trpc.imports.undo.mutationOptions({
      onSuccess: () => {
        setAsking(false);
        void qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
      },
    }),
  );
  if (undo.data) {
    const r = undo.data;
    const parts = [`Deleted ${r.deleted.toLocaleString()} contact${r.deleted === 1 ? "" : "s"} this import created.`];
    if (r.keptChanged) parts.push(`${r.keptChanged.toLocaleString()} changed since the import ${r.keptChanged === 1 ? "was" : "were"} kept.`);
    if (r.merged) parts.push(`${r.merged.toLocaleString()} existing contact${r.merged === 1 ? "" : "s"} the import merged into ${r.merged === 1 ? "is" : "are"} not changed back.`);
    return <p role="status" className="text-sm text-emerald-800" data-testid="undo-import-result">{parts.join(" ")}</p>;
  }
  return (
    <div className="space-y-2">
      {asking ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900">
          <p className="min-w-0 flex-1">
            Delete the {created.toLocaleString()} contact{created === 1 ? "" : "s"} this import created? Contacts changed since are kept, and
            contacts it merged rows into are not changed back.
          </p>
          <button type="button" className="btn-danger" disabled={undo.isPending} onClick={() => undo.mutate({ id })}>{undo.isPending ? "Deleting…" : "Yes, delete them"}</button>
          <button type="button" className="btn-secondary" onClick={() => setAsking(false)}>Keep them</button>
        </div>
      ) : (
        <button type="button" className="btn-secondary" onClick={() => setAsking(true)}>Undo this import</button>
      )}
      {undo.isError && <p role="alert" className="text-sm text-rose-700">{undo.error.message}</p>}
    </div>
  );
}
