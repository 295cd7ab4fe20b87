import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/app/_lib/session";
import { ContactsList } from "./contacts-list";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage() {
  const actor = await requireActor();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Contacts</h1>
        <div className="flex flex-wrap gap-2">
          <Link href="/contacts/import" className="btn-secondary">Import</Link>
          <Link href="/contacts/duplicates" className="btn-secondary">Duplicates</Link>
        </div>
      </div>
      <ContactsList isAdmin={actor.role === "ADMIN"} />
    </div>
  );
}
