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

/** tel: with the number's digits (and a leading +), or null when it is not a phone number. */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone || !/^[+()\d\s./-]+$/.test(phone.trim())) return null;
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 4 || digits.length > 17) return null;
  return `tel:${phone.trim().startsWith("+") ? "+" : ""}${digits}`;
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
