import type { Metadata } from "next";
import Link from "next/link";
import { UsersAdmin } from "./users-admin";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Admin</h1>
        <div className="flex gap-2">
          <Link href="/admin/integrations" className="btn-secondary">Integrations</Link>
          <Link href="/admin/queues" className="btn-secondary">Queues</Link>
          <Link href="/admin/audit" className="btn-secondary">Audit log</Link>
        </div>
      </div>
      <UsersAdmin />
    </div>
  );
}
