// Linking a rep's Telegram chat: the profile page issues a one-time code valid for 10
// minutes; `/start <code>` in the bot binds that chat to the rep. Either side can unlink.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import type { Actor } from "../trpc/context";
import { telegramConfig } from "./config";

export const LINK_CODE_TTL_MS = 10 * 60_000;

export async function createLinkCode(db: Db, actor: Actor, now = new Date()) {
  // 15 random bytes → 20 URL-safe characters: fits Telegram's 64-char start parameter.
  const code = randomBytes(15).toString("base64url");
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await db.$transaction([
    // Only the newest code works; older unused ones are dropped.
    db.telegramLinkCode.deleteMany({ where: { userId: actor.id, usedAt: null } }),
    db.telegramLinkCode.create({ data: { code, userId: actor.id, expiresAt } }),
  ]);
  const username = telegramConfig()?.botUsername;
  return { code, expiresAt, deepLink: username ? `https://t.me/${username}?start=${code}` : null };
}

/** Binds the chat to the code's owner. Returns the user, or null for an unknown, used or expired code. */
export async function consumeLinkCode(db: Db, code: string, chatId: bigint, username: string | null, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return null;
  return db.$transaction(async (tx) => {
    const used = await tx.telegramLinkCode.updateMany({ where: { code, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (used.count !== 1) return null;
    const { userId } = await tx.telegramLinkCode.findUniqueOrThrow({ where: { code } });
    // A disabled account gets no link. Read under FOR SHARE: a disable committing meanwhile (users.setDisabled updates
    // this row first) is waited for and seen, instead of deleting the links before this one exists (hostile review).
    const [owner] = await tx.$queryRaw<{ disabledAt: Date | null }[]>`SELECT "disabledAt" FROM "User" WHERE "id" = ${userId}::uuid FOR SHARE`;
    if (!owner || owner.disabledAt) return null;
    // One chat per rep and one rep per chat: a new link replaces both old ones.
    await tx.telegramLink.deleteMany({ where: { OR: [{ userId }, { chatId }] } });
    await tx.telegramLink.create({ data: { userId, chatId, username } });
    return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, name: true, email: true, role: true } });
  });
}

/** The active user this chat is linked to, or null. A disabled user's link (one that slipped past the disable) is
 *  removed: the bot acts without a session, so it must not act for an account that cannot sign in. */
export async function linkedUserForChat(db: Db, chatId: bigint) {
  const link = await db.telegramLink.findUnique({ where: { chatId }, include: { user: { select: { id: true, name: true, email: true, role: true, disabledAt: true } } } });
  if (!link) return null;
  if (link.user.disabledAt) {
    await db.telegramLink.deleteMany({ where: { chatId, userId: link.user.id } });
    return null;
  }
  const { disabledAt: _active, ...user } = link.user;
  return user;
}

export async function unlinkChat(db: Db, chatId: bigint): Promise<boolean> {
  return (await db.telegramLink.deleteMany({ where: { chatId } })).count > 0;
}

export async function unlinkUser(db: Db, actor: Actor) {
  await db.telegramLink.deleteMany({ where: { userId: actor.id } });
  return { linked: false as const };
}

export async function linkStatus(db: Db, actor: Actor) {
  const link = await db.telegramLink.findUnique({ where: { userId: actor.id } });
  const cfg = telegramConfig();
  return { enabled: cfg !== null, botUsername: cfg?.botUsername ?? null, linked: link !== null, username: link?.username ?? null, linkedAt: link?.linkedAt ?? null };
}
