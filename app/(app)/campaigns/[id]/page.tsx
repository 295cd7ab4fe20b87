import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { Forbidden } from "@/app/_components/forbidden";
import { CampaignDetail } from "./campaign-detail";

export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (actor.role !== "ADMIN") return <Forbidden />;
  const { id } = await params;
  return <CampaignDetail id={id} />;
}
