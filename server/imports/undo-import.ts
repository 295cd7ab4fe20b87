// "Undo this import": the wrong file imported, or a re-import with "Create a new contact anyway" that made a copy of
// every contact. The contacts the import created are deleted in one step, instead of 50 rows at a time from the list.
// What the import cannot give back is left alone and counted:
//  * contacts changed since the import made them (an edit, a tag, a merge into them: their changes would go too);
//  * existing contacts a Merge row changed (the import kept no earlier values; the import report names the rows).
// Only a finished import (DONE or FAILED) can be undone, by the user who ran it or an admin.
import type { Db } from "../db";
import { AppError, notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { CONTACT_PAYLOAD_RETURNING, createDeliveries, deletedPayload, enqueueDeliveries, subscribedWebhookIds, type ReturnedContact } from "../integrations/emit-event";

export interface UndoImportResult {
  /** Contacts the import created, now deleted. */
  deleted: number;
  /** Contacts the import created that were changed after it finished: kept. */
  keptChanged: number;
  /** Existing contacts the import merged rows into: not changed back. */
  merged: number;
}

export async function undoImport(db: Db, actor: Actor, id: string): Promise<UndoImportResult> {
  const imp = await db.contactImport.findUnique({ where: { id }, select: { userId: true, status: true, finishedAt: true, merged: true } });
  if (!imp || (imp.userId !== actor.id && actor.role !== "ADMIN")) throw notFound("Import");
  if ((imp.status !== "DONE" && imp.status !== "FAILED") || !imp.finishedAt) {
    throw new AppError("CONFLICT", "This import is still running: undo it once it has finished.");
  }
  // Unchanged since the import: it gave each contact one instant for "createdAt" and "updatedAt", and every change
  // since (an edit, a tag, a merge into it, a later chunk of the same file merging a row into it) moved "updatedAt".
  // Not a time window: an edit made while a long import still ran, or a second after, is kept.
  // Each deleted contact is a contact.deleted webhook event (reason "import_undone"), written with the delete; the
  // rows are read back only when a webhook wants them (an undo may delete 50,000 contacts).
  const { result, deliveries } = await db.$transaction(async (tx) => {
    const hooks = await subscribedWebhookIds(tx, "contact.deleted");
    let deleted: number;
    let deliveries: string[] = [];
    if (hooks.length) {
      const gone = await tx.$queryRaw<ReturnedContact[]>`DELETE FROM "Contact" WHERE "importId" = ${id}::uuid AND "updatedAt" = "createdAt" RETURNING ${CONTACT_PAYLOAD_RETURNING}`;
      deleted = gone.length;
      deliveries = await createDeliveries(tx, hooks, "contact.deleted", gone.map((c) => deletedPayload(c, "import_undone")));
    } else {
      deleted = await tx.$executeRaw`DELETE FROM "Contact" WHERE "importId" = ${id}::uuid AND "updatedAt" = "createdAt"`;
    }
    const [kept] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Contact" WHERE "importId" = ${id}::uuid`;
    return { result: { deleted, keptChanged: kept.n, merged: imp.merged }, deliveries };
  });
  await enqueueDeliveries(deliveries);
  return result;
}
