"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { WEBHOOK_EVENTS as EVENTS } from "@/server/integrations/webhook-events";

export function WebhooksPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const hooks = useQuery(trpc.integrations.webhooks.list.queryOptions());
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<Set<(typeof EVENTS)[number]>>(new Set(["contact.created"]));
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.integrations.webhooks.list.queryKey() });
  const create = useMutation(trpc.integrations.webhooks.create.mutationOptions({ onSuccess: () => { setUrl(""); setError(null); void refresh(); }, onError: (e) => setError(e.message) }));
  const remove = useMutation(trpc.integrations.webhooks.delete.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <section className="card space-y-4">
      <h2 className="font-medium">Webhooks</h2>
      <p className="text-sm text-slate-600">Each delivery is signed: <code>X-SalesAgent-Signature: t=…,v1=HMAC-SHA256(secret, &quot;t.body&quot;)</code>. Failed deliveries are retried with backoff.</p>
      <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); create.mutate({ url, events: [...events] }); }}>
        <input className="input" placeholder="https://crm.example.com/hooks/sales-agent" value={url} onChange={(e) => setUrl(e.target.value)} aria-label="Webhook URL" />
        <div className="flex flex-wrap gap-4 text-sm">
          {EVENTS.map((ev) => (
            <label key={ev} className="flex items-center gap-1">
              <input type="checkbox" checked={events.has(ev)} onChange={(e) => { const n = new Set(events); if (e.target.checked) n.add(ev); else n.delete(ev); setEvents(n); }} />
              {ev}
            </label>
          ))}
        </div>
        <button className="btn-primary" disabled={!url || !events.size || create.isPending}>Add webhook</button>
        {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
      </form>
      <ul className="divide-y divide-slate-100">
        {hooks.data?.map((h) => (
          <li key={h.id} className="space-y-2 py-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <span className="min-w-0 flex-1 truncate font-medium">{h.url}</span>
              <span className="text-xs text-slate-500">{h.events.join(", ")}</span>
              <button type="button" className="btn-secondary py-1" onClick={() => setOpen(open === h.id ? null : h.id)}>{open === h.id ? "Hide log" : "Delivery log"}</button>
              <button type="button" className="btn-danger py-1" onClick={() => remove.mutate({ id: h.id })}>Delete</button>
            </div>
            <p className="text-xs text-slate-500">Signing secret: <code className="select-all">{h.secret}</code></p>
            {open === h.id && <DeliveryLog webhookId={h.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const log = useQuery({ ...trpc.integrations.webhooks.deliveries.queryOptions({ id: webhookId }), refetchInterval: (q) => (q.state.data?.some((d) => d.status === "PENDING") ? 2000 : false) });
  const redeliver = useMutation(trpc.integrations.webhooks.redeliver.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.integrations.webhooks.deliveries.queryKey({ id: webhookId }) }) }));
  if (!log.data?.length) return <p className="text-xs text-slate-500">No deliveries yet.</p>;
  return (
    <table className="min-w-full text-xs">
      <thead className="text-left text-slate-500"><tr><th className="py-1 pr-3">When</th><th className="pr-3">Event</th><th className="pr-3">Status</th><th className="pr-3">Attempts</th><th /></tr></thead>
      <tbody>
        {log.data.map((d) => (
          <tr key={d.id} className="border-t border-slate-100">
            <td className="py-1 pr-3">{new Date(d.createdAt).toLocaleString()}</td>
            <td className="pr-3">{d.event}</td>
            <td className="pr-3">{d.status}{d.lastError ? ` · ${d.lastError}` : ""}</td>
            <td className="pr-3">{d.log.map((a) => a.statusCode ?? "err").join(" → ")}</td>
            <td><button type="button" className="text-indigo-700 hover:underline" onClick={() => redeliver.mutate({ id: d.id })}>Redeliver</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
