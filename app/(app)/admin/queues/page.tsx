import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { Forbidden } from "@/app/_components/forbidden";
import { QueueDashboard } from "./queue-dashboard";

export const metadata: Metadata = { title: "Queues" };

export default async function QueuesPage() {
  const actor = await requireActor();
  if (actor.role !== "ADMIN") return <Forbidden />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Queues</h1>
      <QueueDashboard />
    </div>
  );
}
