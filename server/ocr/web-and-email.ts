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

/** Website hosts in a line (bare host: no scheme, no www., no path). Skips e-mail domains and LinkedIn. */
export function findWebsites(line: string): FoundHost[] {
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
    if (!host || isLinkedIn(host + (m[3] ?? ""))) continue;
    // "Co." / "St." etc. cannot reach here because the TLD must follow a dot and a label; single-letter labels are noise.
    if (host.split(".")[0].length < 2) continue;
    // A public suffix alone ("com.au" from "Systems. com.au") is not a host.
    if (/^(com|co|org|net|gov|edu|ac)\.[a-z]{2}$/.test(host)) continue;
    out.push({ host, index: start, length: m[0].length, explicit });
  }
  return out;
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
