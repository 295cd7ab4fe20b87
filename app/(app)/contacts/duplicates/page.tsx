import type { Metadata } from "next";
import Link from "next/link";
import { Duplicates } from "./duplicates";

export const metadata: Metadata = { title: "Duplicate contacts" };

export default function DuplicatesPage() {
  return (
    <div className="space-y-4">
      <Link href="/contacts" className="text-sm text-indigo-700 hover:underline">← Contacts</Link>
      <div>
        <h1 className="text-2xl font-semibold">Likely duplicates</h1>
        <p className="text-sm text-slate-600">Same email, same phone, or a similar name at the same company. Merge keeps one contact, with the values you pick, and deletes the other.</p>
      </div>
      <Duplicates />
    </div>
  );
}
