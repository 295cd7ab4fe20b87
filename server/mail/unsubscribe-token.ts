// Signed unsubscribe links: base64url(payload).base64url(HMAC-SHA256(payload)). The key is
// derived from NEXTAUTH_SECRET (or UNSUBSCRIBE_SECRET when set), so links survive restarts
// and cannot be forged; each carries an expiry. Both are read through getEnv(), which checks
// them at start-up (at least 16 characters; an empty `UNSUBSCRIBE_SECRET=` line is unset).
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";
import { getEnv } from "../env";

export interface UnsubscribePayload { email: string; campaignId: string | null; exp: number }

const DEFAULT_TTL_DAYS = 365;

function key(secret?: string): Buffer {
  const env = getEnv();
  const base = secret ?? env.UNSUBSCRIBE_SECRET ?? env.NEXTAUTH_SECRET;
  return createHmac("sha256", "sales-agent/unsubscribe/v1").update(base).digest();
}

export function signUnsubscribeToken(p: { email: string; campaignId?: string | null; expiresAt?: Date }, secret?: string): string {
  const exp = Math.floor((p.expiresAt?.getTime() ?? Date.now() + DEFAULT_TTL_DAYS * 86_400_000) / 1000);
  const body = Buffer.from(JSON.stringify({ e: p.email.toLowerCase(), c: p.campaignId ?? null, x: exp })).toString("base64url");
  const mac = createHmac("sha256", key(secret)).update(body).digest("base64url");
  return `${body}.${mac}`;
}

/** Verifies a token; 400 for a forged or malformed one, 410 semantics (400) for an expired one. */
export function verifyUnsubscribeToken(token: string | null | undefined, secret?: string, now = Date.now()): UnsubscribePayload {
  const invalid = () => new AppError("BAD_REQUEST", "This unsubscribe link is not valid. Use the link from the email, unchanged.");
  if (!token || token.length > 2000) throw invalid();
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) throw invalid();
  const expected = createHmac("sha256", key(secret)).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: { e?: unknown; c?: unknown; x?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof parsed.e !== "string" || typeof parsed.x !== "number") throw invalid();
  if (parsed.x * 1000 < now) throw new AppError("BAD_REQUEST", "This unsubscribe link has expired. Reply to the email and ask to be removed, or use the link in a newer email.", { details: { expired: true } });
  return { email: parsed.e, campaignId: typeof parsed.c === "string" ? parsed.c : null, exp: parsed.x };
}

export function unsubscribeUrl(token: string): string {
  return `${getEnv().NEXTAUTH_URL.replace(/\/$/, "")}/api/unsubscribe?token=${encodeURIComponent(token)}`;
}
