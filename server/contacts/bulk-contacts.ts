// Bulk actions on a selection: tag / untag (own contacts, or any for admins), delete and
// change owner (admins only; the router enforces the role, and so do these functions).
import { Prisma, type Db } from "../db";
import { forbidden } from "../errors";
import type { Actor } from "../trpc/context";
import { CONTACT_PAYLOAD_RETURNING, CONTACT_PAYLOAD_SELECT, contactPayload, createDeliveries, deletedPayload, enqueueDeliveries, subscribedWebhookIds, type ReturnedContact } from "../integrations/emit-event";
import { assertActiveOwner } from "./manage-contacts";
import { FIELD_LIMITS } from "./normalize";

export interface BulkTagResult {
  /** Contacts that got the tag (or lost it, with `remove`). */
  updated: number;
  /**
   * Selected contacts left WITHOUT the new tag because they already have FIELD_LIMITS.tags tags (or more, from old
   * data); the rest of the selection is tagged. Only present when there are some (never when removing).
   */
  skippedFull?: number;
  /** Their ids, so the list can keep them selected for the admin to look at. */
  skippedFullIds?: string[];
}

export async function bulkTag(db: Db, actor: Actor, input: { ids: string[]; tag: string; remove?: boolean }): Promise<BulkTagResult> {
  const ids = [...new Set(input.ids)];
  const tag = input.tag.trim().toLowerCase().replace(/\s+/g, " ");
  if (actor.role !== "ADMIN") {
    const others = await db.contact.count({ where: { id: { in: ids }, ownerId: { not: actor.id } } });
    if (others) throw forbidden(`${others} of the selected contacts belong to someone else: you can tag only your own contacts`);
  }
  const idList = Prisma.sql`ARRAY[${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))}]`;
  if (input.remove) {
    const updated = await db.$executeRaw`UPDATE "Contact" SET "tags" = array_remove("tags", ${tag}), "updatedAt" = now() WHERE "id" = ANY(${idList}) AND "tags" @> ARRAY[${tag}]::text[]`;
    return { updated };
  }
  // One statement: the contacts without the tag are locked, those with room get it, the full ones are named.
  // Tagging is one tag on many contacts, so a full contact does not stop the rest of the selection.
  const rows = await db.$queryRaw<{ id: string; full: boolean }[]>`
    WITH "sel" AS (
      SELECT "id", cardinality("tags") >= ${FIELD_LIMITS.tags} AS "isFull" FROM "Contact"
      WHERE "id" = ANY(${idList}) AND NOT ("tags" @> ARRAY[${tag}]::text[])
      FOR UPDATE
    ), "upd" AS (
      UPDATE "Contact" c SET "tags" = array_append(c."tags", ${tag}::text), "updatedAt" = now()
      FROM "sel" WHERE c."id" = "sel"."id" AND NOT "sel"."isFull"
      RETURNING c."id"
    )
    SELECT "id"::text AS "id", false AS "full" FROM "upd"
    UNION ALL
    SELECT "id"::text AS "id", true AS "full" FROM "sel" WHERE "isFull"`;
  const skippedFullIds = rows.filter((r) => r.full).map((r) => r.id);
  const updated = rows.length - skippedFullIds.length;
  return skippedFullIds.length ? { updated, skippedFull: skippedFullIds.length, skippedFullIds } : { updated };
}

export async function bulkDelete(db: Db, actor: Actor, ids: string[]) {
  if (actor.role !== "ADMIN") throw forbidden("Admins only");
  // Each deleted contact is a contact.deleted webhook event, its delivery rows written with the delete (as bulkSetOwner's).
  const { count, deliveries } = await db.$transaction(async (tx) => {
    const gone = await tx.$queryRaw<ReturnedContact[]>`DELETE FROM "Contact" WHERE "id" = ANY(${[...new Set(ids)]}::uuid[]) RETURNING ${CONTACT_PAYLOAD_RETURNING}`;
    const hooks = await subscribedWebhookIds(tx, "contact.deleted");
    return { count: gone.length, deliveries: await createDeliveries(tx, hooks, "contact.deleted", gone.map((c) => deletedPayload(c, "deleted"))) };
  });
  await enqueueDeliveries(deliveries);
  return { deleted: count };
}

export interface BulkSetOwnerResult {
  /** Contacts that moved to the new owner. */
  updated: number;
  /** Selected contacts the new owner owned already (left as they were). */
  unchanged: number;
  /** Selected ids with no contact (deleted meanwhile): nothing to move, not an error. */
  missing: number;
  ownerName: string;
  ownerEmail: string;
}

/**
 * Hands a selection of contacts to another user (a rep leaves, a territory moves): admins only, to an ACTIVE user
 * (422 on `ownerId` for an unknown or disabled one, assertActiveOwner). The owner row is held (FOR SHARE) while
 * the contacts move, so the owner cannot be disabled halfway. Each moved contact is a `contact.updated` webhook
 * event, written in the same transaction (as contacts.update emits one when an admin reassigns one contact).
 * The audit log records the call (an admin mutation), naming the count and the new owner.
 */
export async function bulkSetOwner(db: Db, actor: Actor, input: { ids: string[]; ownerId: string }): Promise<BulkSetOwnerResult> {
  if (actor.role !== "ADMIN") throw forbidden("Admins only");
  const ids = [...new Set(input.ids)];
  const { result, deliveries } = await db.$transaction(async (tx) => {
    const owner = await assertActiveOwner(tx, input.ownerId, { lock: true });
    // The selection locked, in id order (two hand-overs of overlapping selections cannot deadlock).
    const found = await tx.$queryRaw<{ id: string; ownerId: string }[]>`
      SELECT "id"::text AS "id", "ownerId"::text AS "ownerId" FROM "Contact"
      WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
    const toMove = found.filter((c) => c.ownerId !== owner.id).map((c) => c.id);
    const moved = await tx.contact.updateManyAndReturn({
      where: { id: { in: toMove } },
      data: { ownerId: owner.id },
      select: CONTACT_PAYLOAD_SELECT,
    });
    const hooks = await subscribedWebhookIds(tx, "contact.updated");
    const deliveries = await createDeliveries(tx, hooks, "contact.updated", moved.map((c) => ({ contact: contactPayload(c) })));
    const result: BulkSetOwnerResult = { updated: moved.length, unchanged: found.length - moved.length, missing: ids.length - found.length, ownerName: owner.name, ownerEmail: owner.email };
    return { result, deliveries };
  });
  await enqueueDeliveries(deliveries);
  return result;
}
