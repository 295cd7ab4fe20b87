// Admin-side user management. Callers are already checked to be admins by the router.
//
// Changes to who may do what (role, disabled, password) take effect on this process at once
// (forgetUserState) and on every other web process within USER_STATE_TTL_MS (5 s), since
// sessions read the user's current state through server/auth/user-state.ts.
import type { Db } from "../db";
import { Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { hashPassword } from "../auth/password";
import { forgetUserState } from "../auth/user-state";
import type { Actor } from "../trpc/context";
import { passwordIsEmail, type CreateUserInput } from "./schemas";
import { pendingDraftCounts } from "./hand-over-cards";

const publicFields = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;
type Tx = Prisma.TransactionClient;

/** Every user, with how many of their drafts wait for review (a leaving rep's are handed over: hand-over-cards.ts). */
export async function listUsers(db: Db) {
  const [users, pending] = await Promise.all([db.user.findMany({ select: publicFields, orderBy: { createdAt: "asc" } }), pendingDraftCounts(db)]);
  return users.map((u) => ({ ...u, pendingDrafts: pending.get(u.id) ?? 0 }));
}

const SAME_AS_EMAIL = "The password cannot be the email address or its part before \"@\"";
const samePasswordError = () => new AppError("VALIDATION", SAME_AS_EMAIL, { details: { fieldErrors: { password: [SAME_AS_EMAIL] } } });

export async function createUser(db: Db, input: CreateUserInput) {
  if (passwordIsEmail(input.password, input.email)) throw samePasswordError();
  try {
    return await db.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) },
      select: publicFields,
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("CONFLICT", "A user with this email already exists");
    }
    throw e;
  }
}

/**
 * Runs a change to who is an active admin one at a time across all processes, so two admins
 * demoting or disabling each other at the same moment cannot both pass the "another active
 * admin remains" check and leave the team with none.
 */
async function withAdminLock<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sales-agent:active-admins'))`;
    return fn(tx);
  });
}

async function assertAnotherActiveAdmin(tx: Tx, id: string, message: string) {
  const others = await tx.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: id } } });
  if (others === 0) throw new AppError("CONFLICT", message);
}

export async function setUserRole(db: Db, actor: Actor, id: string, role: "ADMIN" | "REP") {
  if (id === actor.id && role !== "ADMIN") {
    // Otherwise an admin could lock the team out of administration by accident.
    throw new AppError("CONFLICT", "You cannot remove your own admin role. Ask another admin.");
  }
  const user = await withAdminLock(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: publicFields });
    if (!user) throw notFound("User");
    if (user.role === role) return user;
    if (user.role === "ADMIN" && !user.disabledAt) {
      await assertAnotherActiveAdmin(tx, id, `${user.email} is the last active admin; make someone else an admin first.`);
    }
    return tx.user.update({ where: { id }, data: { role }, select: publicFields });
  });
  forgetUserState(id);
  return user;
}

/**
 * Disables or re-enables a user. A disabled user cannot sign in, their sessions stop working
 * (within the cache bound) and their Telegram link is removed; their contacts, scans, drafts
 * and imports stay (drafts still expire 24 hours after their scan, unless an admin hands them over). Disabling also raises the session version, so enabling them again later
 * does not revive a session issued before: they sign in afresh.
 */
export async function setUserDisabled(db: Db, actor: Actor, id: string, disabled: boolean) {
  if (id === actor.id && disabled) throw new AppError("CONFLICT", "You cannot disable your own account. Ask another admin.");
  const user = await withAdminLock(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: publicFields });
    if (!user) throw notFound("User");
    if (!!user.disabledAt === disabled) return user; // already so: nothing to do
    if (!disabled) return tx.user.update({ where: { id }, data: { disabledAt: null }, select: publicFields });
    if (user.role === "ADMIN") {
      await assertAnotherActiveAdmin(tx, id, `${user.email} is the last active admin and cannot be disabled.`);
    }
    // The user row first: its lock makes a concurrent `/start <code>` (consumeLinkCode reads the row FOR SHARE) wait
    // for this to commit and then see the account disabled, or finish first and have its link deleted below.
    const disabledUser = await tx.user.update({ where: { id }, data: { disabledAt: new Date(), sessionVersion: { increment: 1 } }, select: publicFields });
    // The Telegram bot acts for the linked user without a session: unlink, and drop unused codes.
    await tx.telegramLink.deleteMany({ where: { userId: id } });
    await tx.telegramLinkCode.deleteMany({ where: { userId: id, usedAt: null } });
    return disabledUser;
  });
  forgetUserState(id);
  return user;
}

/**
 * An admin sets a new password for a user (who forgot theirs, or whose password leaked).
 * Every session the user had ends, as a leaked password may have been used to open one; an
 * admin setting their own is signed out too and signs in with the new password.
 */
export async function setUserPassword(db: Db, id: string, password: string) {
  const user = await db.user.findUnique({ where: { id }, select: { email: true } });
  if (!user) throw notFound("User");
  if (passwordIsEmail(password, user.email)) throw samePasswordError();
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.user.update({ where: { id }, data: { passwordHash, sessionVersion: { increment: 1 } }, select: publicFields });
    forgetUserState(id);
    return user;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2025") throw notFound("User");
    throw e;
  }
}
