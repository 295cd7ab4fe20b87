import type { Metadata } from "next";
import Link from "next/link";
import { ImportWizard } from "./import-wizard";

export const metadata: Metadata = { title: "Import contacts" };

export default function ImportPage() {
  return (
    <div className="space-y-4">
      <Link href="/contacts" className="text-sm text-indigo-700 hover:underline">← Contacts</Link>
      <div>
        <h1 className="text-2xl font-semibold">Import contacts</h1>
        <p className="text-sm text-slate-600">
          A CSV file (any columns: you map them below), LinkedIn&apos;s Connections.csv, or a vCard (.vcf) file with one or many cards.
          Up to 10 MB; UTF-8 or Windows-1252.
        </p>
      </div>
      <ImportWizard />
    </div>
  );
}
