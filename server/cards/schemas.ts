import { z } from "zod";

export const scanIdInput = z.object({ id: z.string().uuid() });
export const listScansInput = z.object({ ids: z.array(z.string().uuid()).max(100).optional(), limit: z.number().int().min(1).max(200).optional() }).optional();
