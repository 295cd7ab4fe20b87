import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { Forbidden } from "@/app/_components/forbidden";
import { HubspotPanel } from "./hubspot-panel";
import { WebhooksPanel } from "./webhooks-panel";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  const actor = await requireActor();
  if (actor.role !== "ADMIN") return <Forbidden />;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Integrations</h1>
      <HubspotPanel />
      <WebhooksPanel />
    </div>
  );
}
