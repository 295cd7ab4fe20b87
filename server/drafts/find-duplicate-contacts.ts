// Duplicates for a draft about to become a contact: the contacts module's finder (find-duplicates.ts), the one the
// duplicates page, contacts.duplicatesOf and imports use. It compares the generated key columns with "=": the same
// email ignoring case, the same phone for a contact of the same name (a switchboard number printed on every
// colleague's card is not one person), or the same name and company with case, accents, spacing and punctuation
// folded (f_contact_key). Before, this file had its own Prisma `equals … mode: "insensitive"` lookups, which compile
// to an unescaped ILIKE (hostile review): "j_doe@" matched "j.doe@", a trailing backslash was a 500, a shared number
// alone flagged a colleague and offered to merge into them, and "Jurgen Muller" missed "Jürgen Müller".
import type { Db } from "../db";
import { findDuplicateContacts, type DuplicateReason } from "../contacts/find-duplicates";
import type { Fields } from "./normalize-fields";

export interface DuplicateMatch {
  id: string;
  fullName: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  reasons: DuplicateReason[];
}

export async function findDuplicatesForFields(db: Db, f: Pick<Fields, "email" | "phone" | "fullName" | "company">): Promise<DuplicateMatch[]> {
  const rows = await findDuplicateContacts(db, f, { limit: 10 });
  // The same name (and company, or both without one) is not the same person when both have an email and the emails
  // differ: two "Chris Lee", two "Anna Müller" at a big company. The import reads it so (run-import.ts); confirm asked
  // "is this Chris Lee?" for every namesake without a company (session review).
  const draftEmail = f.email?.trim().toLowerCase();
  const conflicting = (r: (typeof rows)[number]) => r.reasons.length === 1 && r.reasons[0] === "name_company" && !!draftEmail && !!r.email && r.email.trim().toLowerCase() !== draftEmail;
  return rows
    .filter((r) => r.reasons.length && !conflicting(r))
    .map(({ id, fullName, company, email, phone, reasons }) => ({ id, fullName, company, email, phone, reasons }));
}
