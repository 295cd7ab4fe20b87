// Writes one audit row. Called by the audit middleware (server/trpc/init.ts) after a mutation
// succeeded, and by the few route handlers that change or read out data in bulk (export).
import type { Db } from "../db";
import type { Logger } from "../logger";
import type { Actor } from "../trpc/context";
import { auditDetails, type Json } from "./audit-details";
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
  const details = JSON.stringify(auditDetails(entry.details) ?? {}) as string;
  try {
    await db.$executeRaw`
      INSERT INTO "AuditEvent" ("actorId", "actorEmail", "action", "targetId", "targetLabel", "details", "requestId", "ip")
      VALUES (${actor.id}::uuid, ${actor.email ?? null}, ${entry.action}, ${entry.targetId}, ${entry.targetLabel}, ${details}::jsonb, ${entry.requestId ?? null}, ${entry.ip ?? null})`;
  } catch (err) {
    log?.error({ err, event: "audit.write_failed", actorId: actor.id, action: entry.action, targetId: entry.targetId, details: JSON.parse(details) as Json }, "could not write the audit row");
  }
}
