// The object an audited mutation acts on, named in words ("ana@example.com", "Spring launch")
// and read BEFORE the mutation runs, so a deleted contact or campaign is still named in the log.
import type { Db } from "../db";

export interface AuditTarget {
  targetId: string | null;
  targetLabel: string | null;
}

type Input = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : null);
const isUuid = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

async function userLabel(db: Db, id: unknown) {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<{ email: string }[]>`SELECT "email"::text AS "email" FROM "User" WHERE "id" = ${id}::uuid`;
  return rows[0]?.email ?? null;
}

async function contactLabel(db: Db, id: unknown) {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<{ fullName: string; email: string | null }[]>`SELECT "fullName", "email" FROM "Contact" WHERE "id" = ${id}::uuid`;
  const c = rows[0];
  return c ? (c.email ? `${c.fullName} <${c.email}>` : c.fullName) : null;
}

/**
 * "3 contacts: Ana Pham <ana@x.example>; Bo Tran; …": every contact of a bulk delete, named before it is gone, so
 * the log can say who was deleted (the ids alone name rows that no longer exist). At most 1,000 (the bulk limit).
 */
async function contactsLabel(db: Db, ids: unknown[]) {
  const valid = ids.filter(isUuid).slice(0, 1000);
  const rows = valid.length
    ? await db.$queryRaw<{ fullName: string; email: string | null }[]>`
        SELECT "fullName", "email" FROM "Contact" WHERE "id" = ANY(${valid}::uuid[]) ORDER BY "fullName", "id"`
    : [];
  const names = rows.map((c) => (c.email ? `${c.fullName} <${c.email}>` : c.fullName));
  return `${ids.length} contact${ids.length === 1 ? "" : "s"}${names.length ? `: ${names.join("; ")}` : ""}`;
}

async function importLabel(db: Db, id: unknown) {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<{ fileName: string | null; created: number }[]>`SELECT "fileName", "created" FROM "ContactImport" WHERE "id" = ${id}::uuid`;
  return rows[0] ? `${rows[0].fileName ?? "import"} (${rows[0].created} created)` : null;
}

async function campaignLabel(db: Db, id: unknown) {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<{ name: string }[]>`SELECT "name" FROM "Campaign" WHERE "id" = ${id}::uuid`;
  return rows[0]?.name ?? null;
}

async function webhookLabel(db: Db, id: unknown) {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<{ url: string }[]>`SELECT "url" FROM "Webhook" WHERE "id" = ${id}::uuid`;
  return rows[0]?.url ?? null;
}

export async function auditTarget(db: Db, action: string, raw: unknown): Promise<AuditTarget> {
  const input: Input = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Input) : {};
  const id = str(input.id);
  const [feature] = action.split(".");
  if (action === "users.create") return { targetId: null, targetLabel: str(input.email) };
  if (feature === "users") return { targetId: id, targetLabel: await userLabel(db, id) };
  if (action === "contacts.merge") {
    const [kept, removed] = await Promise.all([contactLabel(db, input.keepId), contactLabel(db, input.removeId)]);
    return { targetId: str(input.keepId), targetLabel: kept && removed ? `${kept} ← merged ${removed}` : kept ?? removed };
  }
  // The call's own row (its result counts the groups); each merged group gets a row of its own, naming the kept
  // contact and the deleted ones (server/contacts/merge-exact-duplicates.ts).
  if (action === "contacts.mergeExactDuplicates") return { targetId: null, targetLabel: "exact duplicates (each group into its oldest contact)" };
  if (action === "contacts.bulkSetOwner" && Array.isArray(input.ids)) {
    // "12 contacts → ben@example.com": the new owner is named in words (their id stays in the details).
    const owner = (await userLabel(db, input.ownerId)) ?? str(input.ownerId);
    return { targetId: null, targetLabel: `${input.ids.length} contact${input.ids.length === 1 ? "" : "s"} → ${owner ?? "?"}` };
  }
  if (action === "contacts.bulkDelete" && Array.isArray(input.ids)) return { targetId: null, targetLabel: await contactsLabel(db, input.ids) };
  if (Array.isArray(input.ids)) return { targetId: null, targetLabel: `${input.ids.length} contact${input.ids.length === 1 ? "" : "s"}` };
  if (feature === "contacts") return { targetId: id, targetLabel: await contactLabel(db, id) };
  if (feature === "imports") return { targetId: id, targetLabel: await importLabel(db, id) };
  if (action === "campaigns.create") return { targetId: null, targetLabel: str(input.name) };
  if (feature === "campaigns") return { targetId: id, targetLabel: await campaignLabel(db, id) };
  if (action === "integrations.webhooks.delete") return { targetId: id, targetLabel: await webhookLabel(db, id) };
  if (feature === "queues") return { targetId: id, targetLabel: id && str(input.queue) ? `${input.queue} job ${id}` : null };
  return { targetId: id, targetLabel: null };
}
