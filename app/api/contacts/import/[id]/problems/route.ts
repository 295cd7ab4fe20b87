// GET /api/contacts/import/:id/problems: every row the import did not create or merge, as CSV: the file to fix
// (server/imports/export-problems.ts). `?result=merged`: every row it merged into a contact instead, with that
// contact. The import's creator and admins; 401 without a session, 404 for another rep's import or an unknown id,
// 422 for a malformed id or result.
import { getActor } from "@/app/_lib/session";
import { requestIdOf } from "@/server/http/request-meta";
import { getDb } from "@/server/db";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { downloadResponse } from "@/server/http/download-response";
import { exportImportProblems, importProblemsQuery } from "@/server/imports/export-problems";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const requestId = requestIdOf(req);
  try {
    const actor = await getActor();
    if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
    const result = new URL(req.url).searchParams.get("result") ?? undefined;
    const q = importProblemsQuery.parse({ ...(await ctx.params), result });
    const out = await exportImportProblems(getDb(), actor, q.id, { result: q.result });
    return downloadResponse(out.body, { filename: out.filename, contentType: "text/csv; charset=utf-8", requestId });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
