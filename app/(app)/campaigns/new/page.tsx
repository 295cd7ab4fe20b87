import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { Forbidden } from "@/app/_components/forbidden";
import { CampaignEditor } from "../campaign-editor";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  const actor = await requireActor();
  if (actor.role !== "ADMIN") return <Forbidden />;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New campaign</h1>
      <CampaignEditor />
    </div>
  );
}
