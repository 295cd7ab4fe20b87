import { z } from "zod";
import { isCommonPassword } from "./common-passwords";
import { dbText } from "../validation/db-safe";
import { entityId } from "../validation/entity-id";

// At least 8 characters (spaces allowed: a passphrase is a good password), but not 8 spaces or "11111111": at least 8
// that are not spaces at the ends, and at least 4 different ones. The same as the account's email, or its part
// before "@", is refused where the email is known (createUser, setUserPassword), and so is one of the 49,000 most
// common passwords (common-passwords.ts).
const password = z
  .string()
  .max(200, "At most 200 characters")
  .refine((p) => p.trim().length >= 8, "At least 8 characters, not counting spaces at the start or end")
  .refine((p) => new Set(p.trim()).size >= 4, "Use at least 4 different characters")
  .refine((p) => !isCommonPassword(p), "This is one of the most common passwords, the first ones tried; choose another");

/** A password that is the account's own email, or the part before "@", is the first one anyone tries. */
export function passwordIsEmail(password: string, email: string): boolean {
  const p = password.trim().toLowerCase();
  const e = email.trim().toLowerCase();
  return p === e || p === e.slice(0, e.indexOf("@"));
}

export const createUserInput = z.object({
  email: z.string().trim().toLowerCase().max(254).email(),
  name: dbText().trim().min(1).max(120),
  password,
  role: z.enum(["ADMIN", "REP"]),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const setRoleInput = z.object({ id: entityId(), role: z.enum(["ADMIN", "REP"]) });
export const setDisabledInput = z.object({ id: entityId(), disabled: z.boolean() });
export const setPasswordInput = z.object({ id: entityId(), password });
export const handOverCardsInput = z.object({ id: entityId(), toId: entityId() });
