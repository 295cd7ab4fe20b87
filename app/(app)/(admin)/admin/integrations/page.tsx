import type { Metadata } from "next";
import { HubspotPanel } from "./hubspot-panel";
import { WebhooksPanel } from "./webhooks-panel";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Integrations</h1>
      <HubspotPanel />
      <WebhooksPanel />
    </div>
  );
}
