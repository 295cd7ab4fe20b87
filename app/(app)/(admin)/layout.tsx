// Every page under this group is for admins: one guard here, so a new admin page cannot
// forget it. A rep sees a 403 page (the API refuses them too, see docs/security.md).
import { requireActor } from "@/app/_lib/session";
import { Forbidden } from "@/app/_components/forbidden";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  if (actor.role !== "ADMIN") return <Forbidden />;
  return <>{children}</>;
}
