// Admin-side user management. Callers are already checked to be admins by the router.
import type { Db } from "../db";
import { Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { hashPassword } from "../auth/password";
import type { Actor } from "../trpc/context";
import type { CreateUserInput } from "./schemas";

const publicFields = { id: true, email: true, name: true, role: true, createdAt: true } as const;

export function listUsers(db: Db) {
  return db.user.findMany({ select: publicFields, orderBy: { createdAt: "asc" } });
}

export async function createUser(db: Db, input: CreateUserInput) {
  try {
    return await db.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) },
      select: publicFields,
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("CONFLICT", "A user with this email already exists");
    }
    throw e;
  }
}

export async function setUserRole(db: Db, actor: Actor, id: string, role: "ADMIN" | "REP") {
  if (id === actor.id && role !== "ADMIN") {
    // Otherwise the last admin could lock the team out of administration.
    throw new AppError("CONFLICT", "You cannot remove your own admin role");
  }
  const user = await db.user.findUnique({ where: { id } });
  if (!user) throw notFound("User");
  return db.user.update({ where: { id }, data: { role }, select: publicFields });
}
