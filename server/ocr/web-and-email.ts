// E-mail addresses and website hosts.

// Local part and domain as RFC 5321 allows in practice; the TLD must be letters (a@b is not an address).
const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}/g;

export interface FoundEmail { email: string; index: number; length: number }

/** OCR puts spaces around "@" and often reads it with a stray bracket or bar ("name(@host", "name@)host"). */
function closeUpAt(line: string): string {
  return line.replace(/[\s(){}[\]<>|]*@[\s(){}[\]<>|]*/g, "@");
}

export function findEmails(line: string): FoundEmail[] {
  const compact = closeUpAt(line);
  const out: FoundEmail[] = [];
  for (const m of compact.matchAll(EMAIL)) {
    out.push({ email: m[0].toLowerCase().replace(/\.+$/, ""), index: m.index ?? 0, length: m[0].length });
  }
  return out;
}

/** TLDs we accept without "www." or a scheme in front – keeps "St." or "Co." from looking like hosts. */
const BARE_TLDS = new Set([
  "com", "net", "org", "io", "co", "ai", "app", "biz", "info", "dev", "tech", "design", "studio", "agency", "group", "global",
  "vn", "de", "fr", "uk", "au", "sg", "us", "eu", "ch", "at", "nl", "be", "it", "es", "jp", "cn", "hk", "in", "ca", "nz",
  "my", "th", "id", "ph", "kr", "tw", "ie", "se", "no", "dk", "fi", "pl", "pt", "cz", "asia", "media", "digital", "cloud",
]);

const HOST = /\b((?:https?:\/\/)?(?:www\d?\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24}))(?![a-z0-9-])((?:\/[^\s|,]*)?)/gi;

export interface FoundHost { host: string; index: number; length: number; explicit: boolean }

/**
 * Website hosts in a line (bare host: no scheme, no www., no path). Skips e-mail domains, LinkedIn and the
 * scheduler/social/tracking hosts of `isNotAWebsite` (given the card's e-mail domain, which may be one of them).
 */
export function findWebsites(line: string, emailDomain?: string | null): FoundHost[] {
  const out: FoundHost[] = [];
  const emails = findEmails(line);
  const compact = closeUpAt(line);
  for (const m of compact.matchAll(HOST)) {
    const start = m.index ?? 0;
    if (start > 0 && /[@.\w-]/.test(compact[start - 1])) continue; // part of an e-mail or of a longer token
    if (emails.some((e) => start >= e.index && start < e.index + e.length)) continue;
    const full = m[1].toLowerCase();
    const explicit = /^(https?:\/\/|www\d?\.)/.test(full);
    const tld = m[2].toLowerCase();
    if (!explicit && !BARE_TLDS.has(tld)) continue;
    const host = bareHost(full);
    if (!host || isLinkedIn(host + (m[3] ?? "")) || isNotAWebsite(host, emailDomain)) continue;
    // "Co." / "St." etc. cannot reach here because the TLD must follow a dot and a label; single-letter labels are noise.
    if (host.split(".")[0].length < 2) continue;
    // A public suffix alone ("com.au" from "Systems. com.au") is not a host.
    if (/^(com|co|org|net|gov|edu|ac)\.[a-z]{2}$/.test(host)) continue;
    out.push({ host, index: start, length: m[0].length, explicit });
  }
  return out;
}

/**
 * Hosts that appear in signatures but are never the company's website: meeting schedulers
 * ("Book a meeting: meetings.hubspot.com/…"), social profiles, link shorteners and mail
 * tracking/redirect hosts. Matched on the host and its subdomains.
 */
const NOT_A_WEBSITE = [
  // scheduling
  "meetings.hubspot.com", "meetings-eu1.hubspot.com", "calendly.com", "cal.com", "savvycal.com", "tidycal.com", "youcanbook.me",
  "acuityscheduling.com", "doodle.com", "zcal.co", "chilipiper.com", "calendar.app.google", "calendar.google.com", "outlook.office365.com",
  "outlook.office.com", "bookings.microsoft.com", "zoom.us", "teams.microsoft.com", "meet.google.com", "whereby.com",
  // social and messaging
  "linkedin.com", "lnkd.in", "xing.com", "facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "t.me", "wa.me",
  "youtube.com", "youtu.be", "tiktok.com", "threads.net", "bsky.app", "medium.com", "github.com",
  // shorteners and mail tracking / redirects
  "bit.ly", "t.co", "goo.gl", "ow.ly", "tinyurl.com", "buff.ly", "hubspotlinks.com", "hs-sites.com", "list-manage.com",
  "mailchi.mp", "sendgrid.net", "mandrillapp.com", "safelinks.protection.outlook.com", "urldefense.com", "urldefense.proofpoint.com",
  "mimecast.com", "aka.ms",
];

/** True for those hosts, unless the e-mail is at that very domain (someone who works at GitHub lists github.com). */
export function isNotAWebsite(host: string, emailDomain?: string | null): boolean {
  const h = bareHost(host);
  const hit = NOT_A_WEBSITE.find((d) => h === d || h.endsWith("." + d));
  if (!hit) return false;
  const mail = emailDomain?.toLowerCase();
  return !(mail && (mail === hit || mail.endsWith("." + hit) || hit.endsWith("." + mail)));
}

// A URL with a scheme or "www.", or a host followed by a path: such a line is contact data even when its host is ignored.
const LINK = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\d?\.)[^\s<>"]+|\b(?:[a-z0-9][a-z0-9-]*[a-z0-9]\.)+[a-z]{2,24}\/[^\s<>"]*/gi;

/** The spans of URLs in a line (scheme or www. URLs, and host/path), to keep their digits out of phone numbers. */
export function findLinks(line: string): { index: number; length: number }[] {
  return [...line.matchAll(LINK)].map((m) => ({ index: m.index ?? 0, length: m[0].length }));
}

export function bareHost(urlOrHost: string): string {
  return urlOrHost
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "")
    .replace(/^www\d?\./, "")
    .replace(/\.+$/, "");
}

export function isLinkedIn(s: string): boolean {
  return /linkedin\.|^\s*(in|linkedin)\s*[/:]/i.test(s) || /\blinked\s?in\b/i.test(s);
}

export const FREE_MAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "hotmail.com", "outlook.com", "live.com", "icloud.com",
  "me.com", "aol.com", "gmx.de", "gmx.net", "web.de", "t-online.de", "orange.fr", "free.fr", "laposte.net", "proton.me",
  "protonmail.com", "bigpond.com", "yandex.com", "mail.com", "qq.com", "163.com", "fpt.vn", "vnn.vn",
]);
