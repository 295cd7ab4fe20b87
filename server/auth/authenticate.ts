// Credentials check used by next-auth's authorize(). Pure domain code: takes db and input.
import type { Db } from "../db";
import { signInSchema } from "./schemas";
import { dummyPasswordHash, verifyPassword } from "./password";
import { assertSignInAllowed, clearSignInFailures, recordFailedSignIn } from "./sign-in-limiter";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "REP";
  sessionVersion: number; // stamped into the session token (server/auth/options.ts)
}

export async function authenticate(db: Db, raw: unknown, ip: string): Promise<SessionUser | null> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  await assertSignInAllowed(email, ip);
  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok) {
    await recordFailedSignIn(email, ip);
    return null;
  }
  await clearSignInFailures(email, ip);
  // A disabled user is refused like a wrong password (the form says no more): the password was
  // right, so it is not counted as a failure, but no session is issued.
  if (user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
