import type { Metadata } from "next";
import { DraftReview } from "./draft-review";

export const metadata: Metadata = { title: "Review draft" };

export default async function DraftPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DraftReview id={id} />;
}
