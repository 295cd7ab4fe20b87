import type { Metadata } from "next";
import Link from "next/link";
import { ContactDetail } from "./contact-detail";

export const metadata: Metadata = { title: "Contact" };

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="space-y-4">
      <Link href="/contacts" className="text-sm text-indigo-700 hover:underline">← Contacts</Link>
      <ContactDetail id={id} />
    </div>
  );
}
