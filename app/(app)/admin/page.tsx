import type { Metadata } from "next";
import { requireActor } from "@/app/_lib/session";
import { Forbidden } from "@/app/_components/forbidden";
import { UsersAdmin } from "./users-admin";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const actor = await requireActor();
  if (actor.role !== "ADMIN") return <Forbidden />;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <UsersAdmin />
    </div>
  );
}
