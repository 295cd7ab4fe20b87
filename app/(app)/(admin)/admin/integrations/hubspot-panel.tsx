"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ScrollX } from "@/app/_components/scroll-x";

const BADGE: Record<string, string> = {
  never: "bg-slate-100 text-slate-700",
  pending: "bg-sky-100 text-sky-800",
  synced: "bg-emerald-100 text-emerald-800",
  failed: "bg-rose-100 text-rose-800",
};

export function HubspotPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.integrations.hubspot.status.queryOptions());
  const contacts = useQuery({
    ...trpc.integrations.hubspot.contacts.queryOptions(),
    // Poll only while a push is in flight.
    refetchInterval: (q) => (q.state.data?.some((c) => c.crmSyncState === "pending") ? 1000 : false),
  });
  const [token, setToken] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.integrations.hubspot.status.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.integrations.hubspot.contacts.queryKey() });
  };
  const onError = (e: { message: string }) => setMessage(e.message);
  const save = useMutation(trpc.integrations.hubspot.saveToken.mutationOptions({ onSuccess: () => { setToken(""); setMessage("Token saved."); refresh(); }, onError }));
  const clear = useMutation(trpc.integrations.hubspot.clearToken.mutationOptions({ onSuccess: refresh, onError }));
  const auto = useMutation(trpc.integrations.hubspot.setAutoPush.mutationOptions({ onSuccess: refresh, onError }));
  const push = useMutation(trpc.integrations.hubspot.push.mutationOptions({ onSuccess: (r) => { setMessage(`${r.queued} contact(s) queued for HubSpot.`); setSelected(new Set()); refresh(); }, onError }));
  const retry = useMutation(trpc.integrations.hubspot.retryFailed.mutationOptions({ onSuccess: (r) => { setMessage(`${r.queued} failed contact(s) queued again.`); refresh(); }, onError }));
  const s = status.data;

  return (
    <section className="card space-y-4" data-testid="hubspot-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-medium">HubSpot</h2>
        {s && <span className={`badge ${s.configured ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-700"}`}>{s.configured ? `token ${s.tokenHint}` : "not connected"}</span>}
      </div>
      <form className="flex flex-wrap gap-2" onSubmit={(e) => { e.preventDefault(); save.mutate({ token }); }}>
        <input type="password" autoComplete="off" className="input max-w-md flex-1" placeholder="Private-app access token (pat-…)" value={token} onChange={(e) => setToken(e.target.value)} aria-label="HubSpot token" />
        <button className="btn-primary" disabled={token.length < 10 || save.isPending}>Save token</button>
        {s?.configured && <button type="button" className="btn-secondary" onClick={() => clear.mutate()}>Disconnect</button>}
      </form>
      <p className="text-xs text-slate-500">The token is stored encrypted and is never shown again.</p>
      {s?.configured && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={s.autoPushOnConfirm} onChange={(e) => auto.mutate({ enabled: e.target.checked })} />
          Push each contact to HubSpot when a rep confirms it
        </label>
      )}
      {message && <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm" role="status">{message}</p>}
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-primary" disabled={!selected.size || push.isPending} onClick={() => push.mutate({ contactIds: [...selected] })}>Push selected ({selected.size})</button>
        <button type="button" className="btn-secondary" disabled={push.isPending} onClick={() => push.mutate({ all: true })}>Push all</button>
        <button type="button" className="btn-secondary" disabled={!s?.counts.failed || retry.isPending} onClick={() => retry.mutate()}>Retry failed ({s?.counts.failed ?? 0})</button>
      </div>
      <ScrollX label="Contacts to push">
        <table className="min-w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr><th className="py-2 pr-2"><span className="sr-only">Select</span></th><th className="py-2 pr-4">Contact</th><th className="py-2 pr-4">Email</th><th className="py-2">HubSpot</th></tr>
          </thead>
          <tbody>
            {contacts.data?.map((c) => (
              <tr key={c.id} className="border-t border-slate-100" data-testid="sync-row" data-state={c.crmSyncState}>
                <td className="py-2 pr-2">
                  <input type="checkbox" aria-label={`Select ${c.fullName}`} checked={selected.has(c.id)} onChange={(e) => { const next = new Set(selected); if (e.target.checked) next.add(c.id); else next.delete(c.id); setSelected(next); }} />
                </td>
                <td className="py-2 pr-4">{c.fullName}<span className="block text-xs text-slate-500">{c.company}</span></td>
                <td className="py-2 pr-4">{c.email ?? "—"}</td>
                <td className="py-2">
                  <span className={`badge ${BADGE[c.crmSyncState]}`}>{c.crmSyncState}</span>
                  {c.crmSyncError && <span className="mt-1 block text-xs text-rose-700">{c.crmSyncError}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
    </section>
  );
}
