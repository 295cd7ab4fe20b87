import type { Metadata } from "next";
import { DraftReview } from "./draft-review";

export const metadata: Metadata = { title: "Review draft" };

export default async function DraftPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Keyed by id: going on to the next draft after a confirm must start from that draft's
  // fields, not keep the previous draft's edits, errors or conflict.
  return <DraftReview key={id} id={id} />;
}
