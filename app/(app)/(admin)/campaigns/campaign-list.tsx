"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { StatusBadge } from "./status-badge";
import { ScrollX } from "@/app/_components/scroll-x";
import { shouldWatchWorker, workerWarningForList } from "@/server/campaigns/worker-warning";
import { useWorkerStatus } from "@/app/_lib/use-worker-status";

const RUNNING = new Set(["QUEUED", "PREPARING", "SENDING"]);

export function CampaignList() {
  const trpc = useTRPC();
  const { data, isLoading } = useQuery({
    ...trpc.campaigns.list.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((c) => RUNNING.has(c.status)) ? 2000 : false),
  });
  // The worker's heartbeat, watched only while a listed campaign needs a worker (scheduled or running).
  const watchWorker = shouldWatchWorker(data?.map((c) => c.status) ?? []);
  const worker = useWorkerStatus(watchWorker);
  const offline = watchWorker && !worker.isError ? workerWarningForList(data?.map((c) => c.status) ?? [], worker.data) : null;
  if (isLoading) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!data?.length) return <p className="card text-sm text-slate-600">No campaigns yet. Create one to email a group of contacts.</p>;
  return (
    <>
    {offline && <p role="alert" className="mb-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="worker-offline">{offline}</p>}
    <ScrollX label="Campaigns" className="card p-0 sm:p-0">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-500">
          <tr><th className="px-4 py-2">Name</th><th className="px-4 py-2">Status</th><th className="px-4 py-2">Progress</th><th className="px-4 py-2">Sent</th><th className="px-4 py-2">Needs attention</th><th className="px-4 py-2">Created</th></tr>
        </thead>
        <tbody>
          {data.map((c) => (
            <tr key={c.id} className="border-t border-slate-100" data-testid="campaign-row">
              <td className="px-4 py-2"><Link className="font-medium text-indigo-700 hover:underline" href={`/campaigns/${c.id}`}>{c.name}</Link></td>
              <td className="px-4 py-2"><StatusBadge status={c.status} /></td>
              {/* A cancelled campaign shows how far it got, never 100% for what it skipped. */}
              <td className="px-4 py-2" data-testid="campaign-row-percent">{c.total ? `${c.percent}%` : "—"}</td>
              <td className="px-4 py-2" data-testid="campaign-row-summary">{c.summary || "—"}</td>
              <td className="px-4 py-2">{c.needsAttention || ""}</td>
              <td className="px-4 py-2 text-slate-500">{new Date(c.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollX>
    </>
  );
}
