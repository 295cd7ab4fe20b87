// Reading the signed-in user in server components and route handlers.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getAuthOptions } from "@/server/auth/options";
import type { Actor } from "@/server/trpc/context";

export async function getActor(): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions());
  const u = session?.user;
  if (!u?.id || !u.role) return null;
  return { id: u.id, role: u.role, email: u.email, name: u.name };
}

export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}
