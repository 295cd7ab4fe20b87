// Reading the signed-in user in server components and route handlers.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromSessionToken, sessionTokenFrom } from "@/server/auth/session-token";
import type { Actor } from "@/server/trpc/context";

/**
 * The signed-in user, from next-auth's JWT session cookie (decoded and memoised per token;
 * see server/auth/session-token.ts for why this is not getServerSession).
 */
export async function getActor(): Promise<Actor | null> {
  const jar = await cookies();
  return actorFromSessionToken(sessionTokenFrom(jar.getAll()));
}

export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}
