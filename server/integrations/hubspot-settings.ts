// The HubSpot private-app token: stored encrypted, never sent back to the browser.
import type { Db } from "../db";
import { open, seal } from "./secret-box";
import { AppError } from "../errors";

const KEY = "hubspot";

export async function saveHubspotToken(db: Db, token: string | null) {
  const encryptedToken = token ? seal(token) : null;
  await db.integrationSetting.upsert({ where: { key: KEY }, create: { key: KEY, encryptedToken }, update: { encryptedToken } });
  return hubspotStatus(db);
}

export async function setAutoPush(db: Db, enabled: boolean) {
  await db.integrationSetting.upsert({ where: { key: KEY }, create: { key: KEY, autoPushOnConfirm: enabled }, update: { autoPushOnConfirm: enabled } });
  return hubspotStatus(db);
}

/** What the UI may know: whether a token is set and its last 4 characters. */
export async function hubspotStatus(db: Db) {
  const s = await db.integrationSetting.findUnique({ where: { key: KEY } });
  let hint: string | null = null;
  if (s?.encryptedToken) {
    try {
      hint = `…${open(s.encryptedToken).slice(-4)}`;
    } catch {
      hint = "(unreadable: encryption key changed)";
    }
  }
  const counts = await db.contact.groupBy({ by: ["crmSyncState"], _count: true });
  return {
    configured: !!s?.encryptedToken,
    tokenHint: hint,
    autoPushOnConfirm: s?.autoPushOnConfirm ?? false,
    counts: Object.fromEntries(counts.map((c) => [c.crmSyncState, c._count])) as Partial<Record<"never" | "pending" | "synced" | "failed", number>>,
  };
}

export const UNREADABLE_TOKEN = "The saved HubSpot token can no longer be read (the encryption key changed). Save the token again.";

/** The saved token, or null when none is saved. A token sealed under another key (CRM_ENCRYPTION_KEY or, when that
 *  is unset, NEXTAUTH_SECRET changed) is a CONFLICT saying to save it again, not a 500 with the cipher's words. */
export async function readHubspotToken(db: Db): Promise<string | null> {
  const s = await db.integrationSetting.findUnique({ where: { key: KEY } });
  if (!s?.encryptedToken) return null;
  try {
    return open(s.encryptedToken);
  } catch (cause) {
    throw new AppError("CONFLICT", UNREADABLE_TOKEN, { cause });
  }
}

export async function autoPushEnabled(db: Db): Promise<boolean> {
  const s = await db.integrationSetting.findUnique({ where: { key: KEY } });
  return !!(s?.autoPushOnConfirm && s.encryptedToken);
}
