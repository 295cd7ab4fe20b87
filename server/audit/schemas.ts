import { z } from "zod";
import { entityId } from "../validation/entity-id";
import { dbText } from "../validation/db-safe";

export const listAuditInput = z.object({
  /** One action ("users.setRole") or a feature prefix ("users"). */
  action: z.string().trim().max(100).regex(/^[a-zA-Z.]*$/, "Letters and dots only").optional(),
  actorId: entityId().optional(),
  /** Free text over the target's label and the actor's email. */
  search: dbText().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListAuditInput = z.input<typeof listAuditInput>;
