import { z } from "zod";

const password = z.string().min(8, "At least 8 characters").max(200, "At most 200 characters");

export const createUserInput = z.object({
  email: z.string().trim().toLowerCase().max(254).email(),
  name: z.string().trim().min(1).max(120),
  password,
  role: z.enum(["ADMIN", "REP"]),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const setRoleInput = z.object({ id: z.string().uuid(), role: z.enum(["ADMIN", "REP"]) });
export const setDisabledInput = z.object({ id: z.string().uuid(), disabled: z.boolean() });
export const setPasswordInput = z.object({ id: z.string().uuid(), password });
export const handOverCardsInput = z.object({ id: z.string().uuid(), toId: z.string().uuid() });
