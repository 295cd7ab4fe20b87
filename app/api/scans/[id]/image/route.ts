// GET /api/scans/:id/image[?variant=normalized]: a card photo, for its owner or, once it
// is a contact's photo, for the team. Served inline with an exact content type.
import { z } from "zod";
import { getActor } from "@/app/_lib/session";
import { requestIdOf } from "@/server/http/request-meta";
import { readScanImage } from "@/server/cards/read-scan-image";
import { getDb } from "@/server/db";
import { getStorage } from "@/server/storage";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { entityId } from "@/server/validation/entity-id";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const actor = await getActor();
  if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
  const { id } = await ctx.params;
  if (!entityId().safeParse(id).success) return jsonError(404, "NOT_FOUND", "Image not found");
  const variant = new URL(req.url).searchParams.get("variant") === "normalized" ? "normalized" : "original";
  try {
    const img = await readScanImage(getDb(), getStorage(), actor, id, variant);
    return new Response(new Uint8Array(img.bytes), {
      headers: {
        "Content-Type": img.contentType,
        "Content-Disposition": `inline; filename="${img.fileName}"`,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      },
    });
  } catch (e) {
    return errorResponse(e, requestIdOf(req));
  }
}
