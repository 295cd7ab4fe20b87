"use client";
// The worker heartbeat, asked every 5 s only while the page has work waiting for a worker
// (the app's rule: stop polling at terminal states). Used by the scan page, the campaign pages
// and /admin/queues; the wording of each page's warning lives with its data (server/*/…).
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

export function useWorkerStatus(watch: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.system.workerStatus.queryOptions(), enabled: watch, refetchInterval: watch ? 5_000 : false });
}
