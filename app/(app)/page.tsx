import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { WorkerStatus } from "./worker-status";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const actor = await requireActor();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Welcome{actor.name ? `, ${actor.name}` : ""}</h1>
        <WorkerStatus />
      </div>
      <div className="card">
        <h2 className="mb-2 font-medium">Dashboard</h2>
        <p className="text-sm text-slate-600">Scan business cards, review drafts, and run campaigns from here.</p>
      </div>
    </div>
  );
}
