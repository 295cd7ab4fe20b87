"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ScrollX } from "@/app/_components/scroll-x";
import { lastSeen } from "@/server/campaigns/worker-warning";
import { useWorkerStatus } from "@/app/_lib/use-worker-status";

type QueueName = "card-scan" | "campaign-send" | "contact-import" | "maintenance";
const COLUMNS = ["waiting", "active", "delayed", "failed", "completed"] as const;

export function QueueDashboard() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.queues.overview.queryOptions(), refetchInterval: 3_000 });
  // Counts that do not move are normal without a worker: say so, or an operator reads them as stuck.
  const worker = useWorkerStatus(true);
  const [selected, setSelected] = useState<QueueName | null>(null);
  if (overview.isError) return <p role="alert" className="text-sm text-rose-700">{overview.error.message}</p>;
  return (
    <div className="space-y-4">
      {worker.data && !worker.data.online && (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="queues-worker-offline">
          No worker is running ({lastSeen(worker.data)}): waiting jobs stay where they are until one starts. Jobs shown as
          active were taken by a worker that stopped; a new worker takes them back after the stall interval.
        </p>
      )}
      <ScrollX label="Queue counts" className="card p-0 sm:p-0">
        <table className="min-w-full text-sm" data-testid="queue-table">
          <thead className="bg-slate-50 text-left text-slate-500">
            <tr><th className="px-4 py-2">Queue</th>{COLUMNS.map((c) => <th key={c} className="px-4 py-2 capitalize">{c}</th>)}</tr>
          </thead>
          <tbody>
            {overview.data?.map((q) => (
              <tr key={q.name} className="border-t border-slate-100">
                <td className="px-4 py-2 font-medium">{q.name}{q.isPaused && <span className="badge ml-2 bg-amber-100 text-amber-800">paused</span>}</td>
                {COLUMNS.map((c) => (
                  <td key={c} className="px-4 py-2 tabular-nums">
                    {c === "failed" && q.counts.failed > 0 ? (
                      <button type="button" className="font-medium text-rose-700 hover:underline" onClick={() => setSelected(q.name as QueueName)}>{q.counts.failed}</button>
                    ) : (
                      q.counts[c]
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      {selected && <FailedJobs queue={selected} />}
    </div>
  );
}

function FailedJobs({ queue }: { queue: QueueName }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const failed = useQuery(trpc.queues.failed.queryOptions({ queue }));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.queues.failed.queryKey({ queue }) });
    void qc.invalidateQueries({ queryKey: trpc.queues.overview.queryKey() });
  };
  const retry = useMutation(trpc.queues.retry.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.queues.remove.mutationOptions({ onSuccess: refresh }));
  return (
    <section className="card space-y-3">
      <h2 className="font-medium">Failed jobs in {queue}</h2>
      {!failed.data?.length && <p className="text-sm text-slate-500">None.</p>}
      <ul className="divide-y divide-slate-100 text-sm">
        {failed.data?.map((j) => (
          <li key={j.id} className="flex flex-wrap items-start gap-3 py-2">
            <div className="min-w-0 flex-1">
              <p className="font-mono text-xs text-slate-500">{j.name} · {j.id} · {j.attemptsMade} attempt(s)</p>
              <p className="text-rose-700">{j.failedReason ?? "no reason recorded"}</p>
            </div>
            <button type="button" className="btn-secondary py-1" disabled={retry.isPending} onClick={() => retry.mutate({ queue, id: j.id })}>Retry</button>
            <button type="button" className="btn-danger py-1" disabled={remove.isPending} onClick={() => remove.mutate({ queue, id: j.id })}>Remove</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
