// One line saying whose card a finished scan was, for the capture page's progress list:
// photos arrive named IMG_2034.jpg, so after a batch the file name alone tells the rep
// nothing. Name and company as OCR read them; without a name, what else identifies the
// person (email, then phone). Stored on the CardScan row so each poll stays one read.
// A phone is shown the way the pages show one (formatPhone): "+1 212 555 0100 ext. 204", not the
// stored "+12125550100;ext=204".
import type { CardFields } from "../ocr";
import { formatPhone } from "../contacts/contact-links";

const MAX = 120;

export function scanSummary(fields: Pick<CardFields, "fullName" | "company" | "email" | "phone">): string | null {
  const clean = (v: string | null | undefined) => v?.replace(/\s+/g, " ").trim() || null;
  const name = clean(fields.fullName);
  const company = clean(fields.company);
  const phone = clean(fields.phone);
  const parts = name ? [name, company] : [company, clean(fields.email) ?? (phone && formatPhone(phone))];
  const line = parts.filter(Boolean).join(" · ");
  if (!line) return null;
  // Counted in characters (code points), as PostgreSQL's char_length counts them in the
  // migration's backfill, so an emoji or a rare CJK character is never cut in half.
  const chars = Array.from(line);
  return chars.length > MAX ? `${chars.slice(0, MAX - 1).join("")}…` : line;
}
