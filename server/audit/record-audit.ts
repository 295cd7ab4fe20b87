// Writes one audit row. Called by the audit middleware (server/trpc/init.ts) after a mutation
// succeeded, and by the few route handlers that change or read out data in bulk (export).
import type { Db } from "../db";
import type { Logger } from "../logger";
import type { Actor } from "../trpc/context";
import { auditDetails, type Json } from "./audit-details";
import { dbSafeJson, toDbText } from "../validation/db-safe";
import type { AuditTarget } from "./audit-targets";

export interface AuditEntry extends AuditTarget {
  action: string;
  details: unknown;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * The action already happened when this runs, so a failed insert must not turn the
 * caller's success into an error: it is logged at error level (with everything the row
 * would have held) for the operator to notice, and the answer goes out unchanged.
 */
export async function recordAudit(db: Db, actor: Actor, entry: AuditEntry, log?: Logger): Promise<void> {
  // dbSafeJson: a NUL or lone surrogate in the caller's raw input (cleaned by the schemas for the action itself)
  // would make PostgreSQL refuse the whole row, and the action would go unaudited.
  const details = JSON.stringify(dbSafeJson(auditDetails(entry.details) ?? {})) as string;
  const targetLabel = entry.targetLabel === null || entry.targetLabel === undefined ? entry.targetLabel : toDbText(entry.targetLabel);
  try {
    await db.$executeRaw`
      INSERT INTO "AuditEvent" ("actorId", "actorEmail", "action", "targetId", "targetLabel", "details", "requestId", "ip")
      VALUES (${actor.id}::uuid, ${actor.email ?? null}, ${entry.action}, ${entry.targetId}, ${targetLabel}, ${details}::jsonb, ${entry.requestId ?? null}, ${entry.ip ?? null})`;
  } catch (err) {
    log?.error({ err, event: "audit.write_failed", actorId: actor.id, action: entry.action, targetId: entry.targetId, details: JSON.parse(details) as Json }, "could not write the audit row");
  }
}
