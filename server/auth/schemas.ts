import { z } from "zod";

// 254 is the longest valid address (RFC 5321 path limit); anything longer is refused
// before it reaches the database or the hash function.
export const signInSchema = z.object({
  email: z.string().trim().min(1, "Email is required").max(254, "Email is too long").email("Enter a valid email"),
  password: z.string().min(1, "Password is required").max(200, "Password is too long"),
});
export type SignInInput = z.infer<typeof signInSchema>;
