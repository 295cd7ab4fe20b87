import type { Metadata } from "next";
import Link from "next/link";
import { CampaignList } from "./campaign-list";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Campaigns</h1>
          <p className="text-sm text-slate-600">Email your contacts. Every recipient has a row saying exactly what happened to them.</p>
        </div>
        <Link href="/campaigns/new" className="btn-primary">New campaign</Link>
      </div>
      <CampaignList />
    </div>
  );
}
