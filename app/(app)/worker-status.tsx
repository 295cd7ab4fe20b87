"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

/** Live "worker online / offline" badge, polled every few seconds. */
export function WorkerStatus() {
  const trpc = useTRPC();
  const { data, isError } = useQuery({ ...trpc.system.workerStatus.queryOptions(), refetchInterval: 3_000 });
  const online = !isError && data?.online === true;
  const label = data === undefined && !isError ? "checking worker…" : online ? "worker online" : "worker offline";
  return (
    <span data-testid="worker-status" data-online={online ? "true" : "false"} className={`badge ${online ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-800"}`}>
      <span className={`h-2 w-2 rounded-full ${online ? "bg-emerald-500" : "bg-amber-500"}`} aria-hidden />
      {label}
    </span>
  );
}
