// Public unsubscribe endpoint (no sign-in): the link in every campaign email.
//   GET  ?token=…  a confirmation page with one button (link scanners only GET, so a
//                  mail filter that follows links never unsubscribes anyone);
//   POST ?token=…  unsubscribes: the page's button, or a mail client's RFC 8058
//                  one-click POST (body "List-Unsubscribe=One-Click").
// A forged or expired token answers 400. Opening the link (or posting) again once unsubscribed
// answers "You are already unsubscribed" instead of the question.
// Only refused links are rate-limited (per client address): a valid link is never refused for
// volume, since a mail provider's one-click POSTs and link scanners arrive from a few shared
// addresses, and it works while Redis is down, as it needs only PostgreSQL (docs/security.md).
import { getDb } from "@/server/db";
import { isAppError } from "@/server/errors";
import { describeUnsubscribeToken, unsubscribeWithToken } from "@/server/campaigns/unsubscribe";
import { findSuppression } from "@/server/contacts/mail-status";
import { consumeLimit } from "@/server/abuse/limits";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";
import { ipLimitKey } from "@/server/http/ip-limit-key";
import { logger } from "@/server/logger";

export const dynamic = "force-dynamic";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(status: number, title: string, body: string, extraHeaders: Record<string, string> = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:flex;justify-content:center;padding:4rem 1rem}main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:2rem;max-width:28rem}button{background:#4f46e5;color:#fff;border:0;border-radius:8px;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}p{color:#475569}</style></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-robots-tag": "noindex", ...extraHeaders } });
}

// Every refused link is logged: a burst of "not valid" after a deploy means the worker signs
// links with another NEXTAUTH_SECRET (or public URL) than this web node checks them with.
function failure(err: unknown, req: Request): Response {
  const requestId = requestIdOf(req);
  if (!isAppError(err) || err.httpStatus >= 500) logger.error({ requestId, err: isAppError(err) ? err.message : String(err) }, "unsubscribe failed");
  else if (err.code !== "RATE_LIMITED") logger.warn({ requestId, ip: clientIpOf(req), reason: err.message }, "unsubscribe link refused");
  if (isAppError(err) && err.code === "RATE_LIMITED") return page(429, "Slow down", `<p>${esc(err.message)}</p>`, { "Retry-After": String(err.retryAfter ?? 60) });
  if (isAppError(err) && err.httpStatus < 500) return page(err.httpStatus, "Link not valid", `<p>${esc(err.message)}</p>`);
  return page(500, "Something went wrong", "<p>We could not process this link right now. Please try again later.</p>");
}

// The date is written in UTC and in words ("12 March 2025"): the server does not know the
// reader's time zone or locale, and a bare 03/12 reads differently on each side of the Atlantic.
const longDate = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function alreadyUnsubscribed(email: string, since: Date | null): Response {
  return page(200, "You are already unsubscribed", `<p><strong data-testid="unsubscribe-email">${esc(email)}</strong> does not receive campaign emails from us${since ? ` since <span data-testid="unsubscribed-since">${esc(longDate(since))}</span>` : ""}. There is nothing more to do.</p>`);
}

/**
 * The token's address, or the answer to a refused link. Refusals are counted per client address (a guard against
 * floods of guessed links): over the limit the answer is 429 instead of 400. Without Redis they cannot be counted,
 * and the answer stays the 400: the link is refused either way, and nothing else was done.
 */
async function checkToken(token: string | null, req: Request): Promise<{ email: string } | Response> {
  try {
    return await describeUnsubscribeToken(getDb(), token);
  } catch (err) {
    if (!isAppError(err) || err.httpStatus !== 400) return failure(err, req);
    const limited = await consumeLimit("unsubscribe", ipLimitKey(clientIpOf(req))).then(() => null, (e: unknown) => (isAppError(e) && e.code === "RATE_LIMITED" ? e : null));
    return failure(limited ?? err, req);
  }
}

export async function GET(req: Request) {
  const token = new URL(req.url).searchParams.get("token");
  const checked = await checkToken(token, req);
  if (checked instanceof Response) return checked;
  try {
    const { email } = checked;
    // Opened again after unsubscribing: say so, instead of asking a question already answered.
    // Only for an unsubscribe: an address suppressed as a hard bounce still gets the button,
    // so the person's own request is recorded (a bounce can be cleared by an admin).
    const suppression = await findSuppression(getDb(), email);
    if (suppression?.reason === "UNSUBSCRIBED") return alreadyUnsubscribed(email, suppression.createdAt);
    return page(200, "Unsubscribe", `<p>Stop sending campaign emails to <strong data-testid="unsubscribe-email">${esc(email)}</strong>?</p>
<form method="post" action="?token=${encodeURIComponent(token!)}"><button type="submit">Unsubscribe</button></form>`);
  } catch (err) {
    return failure(err, req);
  }
}

export async function POST(req: Request) {
  const token = new URL(req.url).searchParams.get("token");
  const checked = await checkToken(token, req);
  if (checked instanceof Response) return checked;
  try {
    const { email, alreadySuppressed } = await unsubscribeWithToken(getDb(), token);
    if (alreadySuppressed) {
      // A second POST (a double click, a mail client's one-click after the page): changes nothing.
      const suppression = await findSuppression(getDb(), email);
      return alreadyUnsubscribed(email, suppression?.createdAt ?? null);
    }
    return page(200, "You are unsubscribed", `<p><strong>${esc(email)}</strong> will not receive campaign emails from us any more.</p>`);
  } catch (err) {
    return failure(err, req);
  }
}
