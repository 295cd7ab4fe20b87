import { z } from "zod";
import { entityId } from "../validation/entity-id";

export const scanIdInput = z.object({ id: entityId() });
export const listScansInput = z.object({ ids: z.array(entityId()).max(100).optional(), limit: z.number().int().min(1).max(200).optional() }).optional();
