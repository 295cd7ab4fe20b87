import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/app/_lib/session";
import { Duplicates } from "./duplicates";
import { ExactDuplicates } from "./exact-duplicates";

export const metadata: Metadata = { title: "Duplicate contacts" };

export default async function DuplicatesPage() {
  const actor = await requireActor();
  return (
    <div className="space-y-4">
      <Link href="/contacts" className="text-sm text-indigo-700 hover:underline">← Contacts</Link>
      <div>
        <h1 className="text-2xl font-semibold">Likely duplicates</h1>
        <p className="text-sm text-slate-600">Same email, same phone, or a similar name at the same company. Merge keeps one contact, with the values you pick, and deletes the other.</p>
      </div>
      {actor.role === "ADMIN" && <ExactDuplicates />}
      <Duplicates />
    </div>
  );
}
