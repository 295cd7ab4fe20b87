// Contact seeding shared by the benchmarks (bench:contacts, bench:web, bench:polling): one
// generator (name lists, seeded RNG, field shares), so every benchmark searches the same
// kind of 100,000 contacts.
import type { Db } from "../../server/db";

export const FIRST = ["Anh", "Minh", "Thảo", "Đức", "Hương", "Quang", "Lan", "Tuấn", "Günther", "Jürgen", "Zoë", "Chloé", "José", "María", "François", "Søren", "Jane", "John", "Emily", "Michael", "Sarah", "David", "Olivia", "Liam", "Noah", "Ava", "Mia", "Lucas", "Ethan", "Sofia", "Amelia", "Hiroshi", "Yuki", "Priya", "Arjun", "Fatima", "Omar", "Ivan", "Olga", "Pierre"];
export const LAST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Müller", "Schäfer", "Brückner", "Weiß", "Dubois", "Lefèvre", "García", "Martínez", "Núñez", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Tanaka", "Sato", "Patel", "Kowalski"];
const CO_A = ["Sao Mai", "Northwind", "Hagedorn", "Blue River", "Acme", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Công ty Ánh Dương", "Müller & Söhne", "Lumière", "Vertex", "Nimbus", "Orion", "Pioneer", "Quantum", "Redwood", "Summit"];
const CO_B = ["Holdings", "Logistics", "Software", "Trading", "Consulting", "Automation GmbH", "TNHH", "Ltd", "Inc.", "Partners", "Labs", "Group", "Systems", "Foods", "Energy"];
const TITLES = ["CEO", "CTO", "Head of Sales", "Sales Manager", "Giám đốc", "Account Executive", "Procurement Lead", "Engineer", "Marketing Director", null];

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export const ascii = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/[^a-z0-9]+/g, "");

/** Inserts `rows` contacts spread over `ownerIds` (createMany in batches of 5,000), then VACUUM ANALYZE. */
export async function seedContacts(db: Db, rows: number, ownerIds: string[], seed = 42): Promise<{ seconds: number; companies: string[] }> {
  const rand = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const companies = Array.from({ length: 5000 }, (_, i) => `${pick(CO_A)} ${pick(CO_B)} ${i}`);
  const sources = ["card_scan", "text_input", "linkedin_connection", "manual"] as const;
  const t0 = Date.now();
  const BATCH = 5000;
  for (let start = 0; start < rows; start += BATCH) {
    const data = Array.from({ length: Math.min(BATCH, rows - start) }, (_, j) => {
      const i = start + j;
      const first = pick(FIRST);
      const last = pick(LAST);
      const company = rand() < 0.9 ? pick(companies) : null;
      return {
        fullName: `${first} ${last}`,
        title: pick(TITLES),
        company,
        email: rand() < 0.85 ? `${ascii(first)}.${ascii(last)}${i}@${company ? ascii(company).slice(0, 12) : "mail"}.example` : null,
        phone: rand() < 0.8 ? `+${pick(["84", "49", "1", "44", "33"])}${String(100000000 + Math.floor(rand() * 899999999))}` : null,
        source: pick(sources),
        tags: rand() < 0.2 ? [pick(["vip", "expo-2025", "partner", "lead", "cold"])] : [],
        ownerId: pick(ownerIds),
        createdAt: new Date(Date.now() - Math.floor(rand() * 3 * 365 * 86400_000)),
      };
    });
    await db.contact.createMany({ data });
  }
  await db.$executeRawUnsafe('VACUUM ANALYZE "Contact"');
  return { seconds: (Date.now() - t0) / 1000, companies };
}

/**
 * Search terms of the same kinds as bench-contacts (accent-free surname, partial first + last,
 * accented full name, company, email fragment, phone digits, no match, two common letters),
 * sampled from the seeded rows so most of them hit real contacts.
 */
export async function searchTerms(db: Db, count: number, seed = 7): Promise<{ kind: string; term: string }[]> {
  const rand = rng(seed);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const sample = await db.contact.findMany({ take: 300, skip: 1000, select: { fullName: true, company: true, email: true, phone: true } });
  const kinds: Record<string, () => string> = {
    "accent-free surname": () => ascii(pick(LAST)).slice(0, 6),
    "partial first + last name": () => { const s = pick(sample).fullName.split(" "); return `${ascii(s[0]).slice(0, 3)} ${ascii(s[1]).slice(0, 4)}`; },
    "accented full name": () => pick(sample).fullName,
    "company": () => pick(sample).company ?? "Northwind Labs 12",
    "email fragment": () => (pick(sample).email ?? "nguyen.tran1@").slice(0, 14),
    "phone digits (local format)": () => { const p = pick(sample).phone ?? "+84912345678"; return p.slice(-9, -4) + " " + p.slice(-4); },
    "no match": () => `zzq${Math.floor(rand() * 1e6)}`,
    "two common letters": () => "an",
  };
  const names = Object.keys(kinds);
  return Array.from({ length: count }, (_, i) => ({ kind: names[i % names.length], term: kinds[names[i % names.length]]() }));
}
