// /admin/audit: newest first, keyset pages (at, id), filtered by action, actor or text.
import { Prisma, type Db } from "../db";
import { AppError } from "../errors";
import { listAuditInput, type ListAuditInput } from "./schemas";

export interface AuditEventRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetId: string | null;
  targetLabel: string | null;
  details: unknown;
  requestId: string | null;
  ip: string | null;
}

const badCursor = () => new AppError("VALIDATION", "Invalid cursor", { details: { field: "cursor" } });

function decodeCursor(raw: string): { at: Date; id: string } {
  const [ms, id] = raw.split("_");
  const at = new Date(Number(ms));
  if (!/^\d{1,15}$/.test(ms ?? "") || Number.isNaN(at.getTime()) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id ?? "")) throw badCursor();
  return { at, id };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export async function listAudit(db: Db, raw: ListAuditInput): Promise<{ items: AuditEventRow[]; nextCursor: string | null }> {
  const q = listAuditInput.parse(raw);
  const where: Prisma.Sql[] = [];
  if (q.action) where.push(q.action.includes(".") ? Prisma.sql`"action" = ${q.action}` : Prisma.sql`"action" LIKE ${`${q.action}.%`}`);
  if (q.actorId) where.push(Prisma.sql`"actorId" = ${q.actorId}::uuid`);
  if (q.search) {
    const like = `%${escapeLike(q.search)}%`;
    where.push(Prisma.sql`("targetLabel" ILIKE ${like} OR "actorEmail" ILIKE ${like} OR "targetId" = ${q.search})`);
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(Prisma.sql`("at", "id") < (${c.at}, ${c.id}::uuid)`);
  }
  const rows = await db.$queryRaw<AuditEventRow[]>`
    SELECT "id", "at", "actorId", "actorEmail", "action", "targetId", "targetLabel", "details", "requestId", "ip"
    FROM "AuditEvent"
    ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY "at" DESC, "id" DESC
    LIMIT ${q.limit + 1}`;
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? `${last.at.getTime()}_${last.id}` : null };
}
