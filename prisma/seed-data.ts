// What `npm run db:seed` creates. Kept apart from the runner so tests can reuse it.
import type { Db } from "../server/db";
import { hashPassword } from "../server/auth/password";

export const SEED_USERS = [
  { email: "admin@example.com", name: "Ada Admin", password: "admin1234", role: "ADMIN" as const },
  { email: "rep@example.com", name: "Rob Rep", password: "rep12345", role: "REP" as const },
];

const DEMO_CONTACTS = [
  { fullName: "Nguyễn Thị Minh Anh", title: "Giám đốc Kinh doanh", company: "Công ty TNHH Sao Mai", email: "minhanh@saomai.example", phone: "+84912345678", website: "saomai.example" },
  { fullName: "Jane Cooper", title: "Head of Partnerships", company: "Northwind Ltd", email: "jane.cooper@northwind.example", phone: "+442079460123", website: "northwind.example" },
  { fullName: "Günther Brückner", title: "Technischer Leiter", company: "Hagedorn Automation GmbH", email: "g.brueckner@hagedorn.example", phone: "+4915228817889", website: "hagedorn.example" },
];

export async function seed(db: Db, opts: { production: boolean }): Promise<{ users: number; contacts: number }> {
  if (opts.production) {
    throw new Error("Refusing to seed default passwords in production. Create the first admin with `npm run user:create`.");
  }
  let users = 0;
  for (const u of SEED_USERS) {
    const existing = await db.user.findUnique({ where: { email: u.email } });
    if (existing) continue;
    await db.user.create({ data: { email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password) } });
    users++;
  }
  const rep = await db.user.findUniqueOrThrow({ where: { email: "rep@example.com" } });
  let contacts = 0;
  for (const c of DEMO_CONTACTS) {
    // Idempotent: a demo contact is identified by its email.
    const existing = await db.contact.findFirst({ where: { email: c.email } });
    if (existing) continue;
    await db.contact.create({ data: { ...c, source: "manual", ownerId: rep.id } });
    contacts++;
  }
  return { users, contacts };
}
