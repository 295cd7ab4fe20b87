import { handleTelegramWebhook } from "@/server/telegram/webhook";
import { getDb } from "@/server/db";
import { errorResponse } from "@/server/http/error-response";
import { requestIdOf } from "@/server/http/request-meta";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  try {
    return await handleTelegramWebhook(req, getDb());
  } catch (e) {
    return errorResponse(e, requestIdOf(req));
  }
}
