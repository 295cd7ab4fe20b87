import type { Metadata } from "next";
import { DraftList } from "./draft-list";

export const metadata: Metadata = { title: "Drafts" };

export default function DraftsPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Drafts to review</h1>
        <p className="text-sm text-slate-600">Check each card against its photo and confirm it. Drafts nobody reviews expire after 24 hours.</p>
      </div>
      <DraftList />
    </div>
  );
}
