// Duplicates for a draft about to become a contact: the same email (ignoring case), the
// same E.164 phone, or the same normalized name + company.
import type { Db } from "../db";
import type { Fields } from "./normalize-fields";

export interface DuplicateMatch {
  id: string;
  fullName: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  reasons: ("email" | "phone" | "name_company")[];
}

const norm = (s: string | null | undefined) => (s ?? "").normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();

export async function findDuplicatesForFields(db: Db, f: Pick<Fields, "email" | "phone" | "fullName" | "company">): Promise<DuplicateMatch[]> {
  const or: object[] = [];
  if (f.email) or.push({ email: { equals: f.email, mode: "insensitive" } });
  // The stored phone as it is: E.164 plus ";ext=…" (phoneToStore), so the same string is the same "phoneDigits"
  // (phoneDigitsOf), and "+4930123456;ext=7890" is not "+49301234567890".
  if (f.phone) or.push({ phone: f.phone });
  if (f.fullName && f.company) {
    or.push({ fullName: { equals: f.fullName.trim(), mode: "insensitive" }, company: { equals: f.company.trim(), mode: "insensitive" } });
  }
  if (!or.length) return [];
  const rows = await db.contact.findMany({ where: { OR: or }, take: 10, orderBy: { createdAt: "asc" }, select: { id: true, fullName: true, company: true, email: true, phone: true } });
  return rows.map((c) => {
    const reasons: DuplicateMatch["reasons"] = [];
    if (f.email && norm(c.email) === norm(f.email)) reasons.push("email");
    if (f.phone && c.phone === f.phone) reasons.push("phone");
    if (f.fullName && f.company && norm(c.fullName) === norm(f.fullName) && norm(c.company) === norm(f.company)) reasons.push("name_company");
    return { ...c, reasons };
  });
}
