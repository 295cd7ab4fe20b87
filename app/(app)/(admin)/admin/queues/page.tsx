import type { Metadata } from "next";
import { QueueDashboard } from "./queue-dashboard";

export const metadata: Metadata = { title: "Queues" };

export default async function QueuesPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Queues</h1>
      <QueueDashboard />
    </div>
  );
}
