// Tap-to-act links for a stored contact (call, email, website, LinkedIn) and phone numbers
// shown the way people read them. Shared by the web pages; pure, so the browser can import it.
// The values come from OCR and CSV imports, so a link is only made from a value that really
// is what it claims: a `javascript:` "website" or a phone made of letters gets no link at all.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/** "+442079460123" → "+44 20 7946 0123"; anything libphonenumber cannot read stays as it is. */
export function formatPhone(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  return parsed?.isValid() ? parsed.formatInternational() : phone;
}

/**
 * A number's parts: "+12125550100;ext=204" (the stored form, see phoneToStore), or the displayed
 * "+1 212 555 0100 ext. 204" / "+44 20 7946 0958 x12" (formatPhone) → number and extension.
 */
export function splitExtension(phone: string): { number: string; ext: string | null } {
  const m = /^(.*?)(?:;ext=|\s*(?:ext\.?|x)\s*)(\d{1,20})$/i.exec(phone.trim());
  return m ? { number: m[1], ext: m[2] } : { number: phone.trim(), ext: null };
}

/**
 * A stored number as text for files other programs read (CSV, vCard, HubSpot): "+12125550100 ext. 204". The
 * stored ";ext=" would be cut at the semicolon by a CSV "Other Phones" list or a vCard reader; "ext." is what
 * libphonenumber, Outlook, Google Contacts and HubSpot read back as an extension.
 */
export function phoneAsText(phone: string): string {
  const { number, ext } = splitExtension(phone);
  return ext ? `${number} ext. ${ext}` : number;
}

/**
 * tel: with the number's digits (and a leading +), or null when it is not a phone number. An extension follows
 * a comma, the pause both Android and iOS dialers wait on before sending it (RFC 3966's ";ext=" is not dialled).
 */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const { number, ext } = splitExtension(phone);
  if (!/^[+()\d\s./-]+$/.test(number)) return null;
  const digits = number.replace(/\D/g, "");
  if (digits.length < 4 || digits.length > 17) return null;
  return `tel:${number.startsWith("+") ? "+" : ""}${digits}${ext ? `,${ext}` : ""}`;
}

// A mailbox only: no "?subject=…&body=…" riding along into the mail program.
const EMAIL = /^[^\s@<>()"',;:\\?&#/%]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}$/u;

export function mailtoHref(email: string | null | undefined): string | null {
  const e = email?.trim();
  return e && e.length <= 254 && EMAIL.test(e) ? `mailto:${e}` : null;
}

/** A LinkedIn profile link: an http(s) URL on linkedin.com only, so the button says what it opens. */
export function linkedinHref(url: string | null | undefined): string | null {
  const href = webHref(url);
  if (!href) return null;
  const host = new URL(href).hostname;
  return host === "linkedin.com" || host.endsWith(".linkedin.com") ? href : null;
}

/** An http(s) URL for a website as typed or read ("acme.com" → https://acme.com/), else null. */
export function webHref(website: string | null | undefined): string | null {
  const w = website?.trim();
  if (!w || /\s/.test(w)) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(w);
  if (hasScheme && !/^https?:\/\//i.test(w)) return null; // javascript:, data:, mailto: …
  try {
    const url = new URL(hasScheme ? w : `https://${w}`);
    if (!url.hostname.includes(".")) return null;
    return url.href;
  } catch {
    return null;
  }
}
