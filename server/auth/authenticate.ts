// Credentials check used by next-auth's authorize(). Pure domain code: takes db and input.
import type { Db } from "../db";
import { signInSchema } from "./schemas";
import { dummyPasswordHash, verifyPassword } from "./password";
import { reserveSignInAttempt } from "./sign-in-limiter";

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
  // Counted before the password is checked, so a burst of guesses cannot all read the same old count.
  const attempt = await reserveSignInAttempt(email, ip);
  let user: Awaited<ReturnType<typeof db.user.findUnique>>;
  let ok: boolean;
  try {
    user = await db.user.findUnique({ where: { email } });
    ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  } catch (e) {
    // The check could not be made (the database unreachable): no password was tried, so nothing is counted; a
    // user retrying through an outage must not find themselves locked out afterwards.
    await attempt.abandoned();
    throw e;
  }
  // A disabled account is refused like a wrong password and counted like one, right password or not: clearing the
  // failures for a right one let a guesser tell which guess was right by whether the next try was still refused
  // with 429 (hostile review), and a leaver's password may be in use elsewhere.
  if (!user || !ok || user.disabledAt) return null;
  await attempt.succeeded();
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
