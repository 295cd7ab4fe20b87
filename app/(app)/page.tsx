import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { WorkerStatus } from "./worker-status";
import { DashboardCards } from "./dashboard-cards";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const actor = await requireActor();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Welcome{actor.name ? `, ${actor.name}` : ""}</h1>
        <WorkerStatus />
      </div>
      <DashboardCards />
    </div>
  );
}
