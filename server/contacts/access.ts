// Who may do what with a contact (documented in docs/contacts.md):
//  * every signed-in user sees every contact of the team;
//  * a rep edits, tags, merges and deletes only contacts they own;
//  * an admin edits every contact, reassigns owners and bulk-deletes.
import type { Db } from "../db";
import { forbidden, notFound } from "../errors";
import type { Actor } from "../trpc/context";

export function canEditContact(actor: Actor, contact: { ownerId: string }): boolean {
  return actor.role === "ADMIN" || contact.ownerId === actor.id;
}

export function assertCanEdit(actor: Actor, contact: { ownerId: string }): void {
  if (!canEditContact(actor, contact)) throw forbidden("Only the contact's owner or an admin can change this contact");
}

/** Loads a contact for a change, or throws 404 / 403. */
export async function loadEditableContact(db: Pick<Db, "contact">, actor: Actor, id: string) {
  const contact = await db.contact.findUnique({ where: { id } });
  if (!contact) throw notFound("Contact");
  assertCanEdit(actor, contact);
  return contact;
}
