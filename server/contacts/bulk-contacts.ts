// Bulk actions on a selection: tag / untag (own contacts, or any for admins) and
// delete (admins only; the router enforces the role).
import { Prisma, type Db } from "../db";
import { forbidden } from "../errors";
import type { Actor } from "../trpc/context";

export async function bulkTag(db: Db, actor: Actor, input: { ids: string[]; tag: string; remove?: boolean }) {
  const ids = [...new Set(input.ids)];
  const tag = input.tag.trim().toLowerCase().replace(/\s+/g, " ");
  if (actor.role !== "ADMIN") {
    const others = await db.contact.count({ where: { id: { in: ids }, ownerId: { not: actor.id } } });
    if (others) throw forbidden(`${others} of the selected contacts belong to someone else: you can tag only your own contacts`);
  }
  const idList = Prisma.sql`ARRAY[${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))}]`;
  const updated = input.remove
    ? await db.$executeRaw`UPDATE "Contact" SET "tags" = array_remove("tags", ${tag}), "updatedAt" = now() WHERE "id" = ANY(${idList}) AND "tags" @> ARRAY[${tag}]::text[]`
    : await db.$executeRaw`UPDATE "Contact" SET "tags" = array_append("tags", ${tag}), "updatedAt" = now() WHERE "id" = ANY(${idList}) AND NOT ("tags" @> ARRAY[${tag}]::text[])`;
  return { updated };
}

export async function bulkDelete(db: Db, actor: Actor, ids: string[]) {
  if (actor.role !== "ADMIN") throw forbidden("Admins only");
  const { count } = await db.contact.deleteMany({ where: { id: { in: [...new Set(ids)] } } });
  return { deleted: count };
}
