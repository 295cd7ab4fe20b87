import type { Metadata } from "next";
import { CampaignEditor } from "../campaign-editor";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New campaign</h1>
      <CampaignEditor />
    </div>
  );
}
